#!/usr/bin/env sh
# What OpenRLHF sends with --remote_rm_url http://host:8000/openrlhf/reward: the decoded
# prompt + response (`query`), the prompt, and the dataset's label column (here JSON strings).
#   GOLONG_REWARD_URL    service URL (default http://127.0.0.1:8000)
#   GOLONG_REWARD_TOKEN  bearer token, when the service was started with one
set -eu
URL="${GOLONG_REWARD_URL:-http://127.0.0.1:8000}"

curl --fail-with-body --silent --show-error \
  -H 'Content-Type: application/json' \
  ${GOLONG_REWARD_TOKEN:+-H "Authorization: Bearer ${GOLONG_REWARD_TOKEN}"} \
  --data-binary @- "${URL%/}/openrlhf/reward" <<'JSON'
{
  "query": ["<|im_start|>user\nWhich city?<|im_end|>\n<|im_start|>assistant\n<think>The passage names it.</think>\nParis<|im_end|>",
            "<|im_start|>user\nWhich option?<|im_end|>\n<|im_start|>assistant\nThe correct answer is (B).<|im_end|>"],
  "prompts": ["<|im_start|>user\nWhich city?<|im_end|>\n<|im_start|>assistant\n",
              "<|im_start|>user\nWhich option?<|im_end|>\n<|im_start|>assistant\n"],
  "labels": ["{\"data_source\": \"EM\", \"ground_truth\": {\"golden_label\": \"Paris\"}, \"extra_info\": {}}",
             "{\"task\": \"choice\", \"reference\": \"B\"}"]
}
JSON
echo
