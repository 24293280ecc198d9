#!/usr/bin/env sh
# Scores one verl row and one native item with POST /score.
#   GOLONG_REWARD_URL    service URL (default http://127.0.0.1:8000)
#   GOLONG_REWARD_TOKEN  bearer token, when the service was started with one
set -eu
URL="${GOLONG_REWARD_URL:-http://127.0.0.1:8000}"

curl --fail-with-body --silent --show-error \
  -H 'Content-Type: application/json' \
  ${GOLONG_REWARD_TOKEN:+-H "Authorization: Bearer ${GOLONG_REWARD_TOKEN}"} \
  --data-binary @- "${URL%/}/score" <<'JSON'
{
  "items": [
    {"id": "row-0", "data_source": "longbench_pro",
     "solution_str": "<think>Sentences [2], [5] and [11] cite the report.</think>[Answer]\n[2]\n[5]\n[11]",
     "ground_truth": {"doc_ids": ["[2]", "[5]", "[9]"], "summary": "English"},
     "extra_info": {"reward_mode": "T5.1 Full-Sentence Citation Alignment"}},
    {"id": "native-0", "task": "em", "response": "  Porto ", "reference": "Porto"}
  ],
  "details": true
}
JSON
echo
