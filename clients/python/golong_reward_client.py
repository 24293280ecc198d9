"""Client for the golong-reward service, for verl's reward managers. Standard library only.

verl, per-rollout reward managers (naive, dapo, ...: one call per rollout)::

    custom_reward_function.path=clients/python/golong_reward_client.py
    custom_reward_function.name=compute_score

verl, batch reward manager where the verl release has it (one call per batch; much faster)::

    custom_reward_function.path=clients/python/golong_reward_client.py
    custom_reward_function.name=compute_score_batch
    reward_model.reward_manager=batch

Environment:
    GOLONG_REWARD_URL          service URL; several, comma-separated, spread chunks over replicas
                               (default http://127.0.0.1:8000)
    GOLONG_REWARD_TOKEN        bearer token, when the service has one
    GOLONG_REWARD_TIMEOUT      seconds per HTTP request (default 300)
    GOLONG_REWARD_CHUNK_SIZE   items per request (default 2048)
    GOLONG_REWARD_CONCURRENCY  requests in flight at once (default 4)
    GOLONG_REWARD_RETRIES      attempts after the first on connection errors, timeouts and HTTP 503
                               (service busy; also 429, 502 and 504 from a proxy in front) (default 5)
    GOLONG_REWARD_GZIP         1/true: gzip request bodies over 1 MiB (level 1), for a slow link to the
                               service; on a cluster network compressing costs the trainer and the
                               service more CPU than the transfer it saves (default 0)
    GOLONG_REWARD_ON_ERROR     a float: score for items the service could not score, instead of
                               raising GolongRewardItemError (each batch with such items logs a
                               warning with their error codes and counts)
    GOLONG_REWARD_RETURN_DICT  1/true: return {"score", "reward_type", "error"} per item instead
                               of a float, so verl logs them as reward_extra_info (default 0)
    GOLONG_REWARD_AUDIT        1/true: run the service's reward-hacking audit (scores do not change);
                               each batch with flagged items logs one warning with the counts, the
                               client keeps them in last_audit, and return_dict adds "audit" (the
                               item's flags, comma-separated) and "reference_score" (default 0)
    GOLONG_REWARD_AUDIT_PENALTY  flag:value[,flag:value]: cap the score of items with that audit flag
                               at value (implies the audit; the service's rule, not the reference's),
                               e.g. repetition_loop:0

Options (keyword arguments of compute_score / compute_score_batch; from verl:
+custom_reward_function.reward_kwargs.NAME=VALUE): on_error, return_dict, audit, audit_penalty
(a {flag: value} dict or a "flag:value,..." string). Any other keyword raises TypeError, except
the ones verl itself passes (see _VERL_KWARGS).
"""

from __future__ import annotations

import difflib
import gzip
import http.client
import json
import logging
import os
import random
import socket
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional, Sequence

__all__ = [
    "GolongRewardClient",
    "GolongRewardError",
    "GolongRewardItemError",
    "compute_score",
    "compute_score_batch",
]

_log = logging.getLogger("golong_reward_client")

_GZIP_ABOVE_BYTES = 1 << 20

# The options of compute_score / compute_score_batch (keyword arguments, or verl's reward_kwargs).
_OPTIONS = ("on_error", "return_dict", "audit", "audit_penalty")
# Keyword arguments verl passes on its own, which the client accepts and does not use:
# - its reward-loop managers (naive, dapo, limited, remote, gdpo) add these when a reward model
#   router runs (verl/experimental/reward_loop/reward_manager/*.py);
# - its batch reward manager forwards reward_model.reward_kwargs, where GoLongRL's scripts put
#   the DAPO manager's overlong-buffer settings (verl/workers/reward_manager/batch.py).
_VERL_KWARGS = frozenset(("reward_router_address", "reward_model_tokenizer", "overlong_buffer_cfg", "max_resp_len"))
# Busy (503, 429) or a proxy in front of restarting replicas (502, 504): worth another try.
_RETRY_STATUSES = frozenset((429, 502, 503, 504))


class GolongRewardError(RuntimeError):
    """The service could not be reached or refused the request."""


class GolongRewardItemError(GolongRewardError):
    """Some items came back with an error instead of a score."""

    def __init__(self, errors: List[Dict[str, Any]]):
        self.errors = errors
        shown = "; ".join(
            "item {}: {} ({})".format(e.get("index"), e.get("code"), e.get("message")) for e in errors[:5]
        )
        more = "" if len(errors) <= 5 else " and {} more".format(len(errors) - 5)
        super().__init__(
            "{} item(s) could not be scored: {}{}. Pass on_error=<float> (or set GOLONG_REWARD_ON_ERROR) "
            "to score them as that value instead.".format(len(errors), shown, more)
        )


def _json_default(value: Any) -> Any:
    # verl datasets come from parquet via pandas: numpy arrays and scalars appear in ground truths.
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (set, tuple)):
        return list(value)
    raise TypeError("cannot send a {} to the reward service".format(type(value).__name__))


def _env_number(name: str, kind: type, meaning: str) -> Any:
    """The number in an environment variable, None when unset or empty; a clear error otherwise."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        return kind(raw)
    except ValueError:
        raise ValueError("{} must be {} ({}), not {!r}".format(
            name, "an integer" if kind is int else "a number", meaning, raw)) from None


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def _env_bool(name: str) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValueError("{} must be 1/true/yes/on or 0/false/no/off, not {!r}".format(name, os.environ.get(name)))


def _on_error_value(on_error: Any) -> Optional[float]:
    """on_error as a float (None: raise on item errors); the GOLONG_REWARD_ON_ERROR variable when not given."""
    if on_error is None:
        return _env_number("GOLONG_REWARD_ON_ERROR", float, "the score given to items that could not be scored")
    if isinstance(on_error, bool) or not isinstance(on_error, (int, float, str)):
        raise TypeError("on_error must be a number (the score given to items that could not be scored), not {!r}".format(on_error))
    try:
        return float(on_error)
    except ValueError:
        raise ValueError("on_error must be a number (the score given to items that could not be scored), not {!r}".format(on_error)) from None


def _bool_option(value: Any, name: str, variable: str) -> bool:
    """A boolean option as a bool; the environment variable when not given."""
    if value is None:
        return _env_bool(variable)
    if not isinstance(value, bool):
        raise TypeError("{} must be True or False, not {!r}".format(name, value))
    return value


def _return_dict_value(return_dict: Any) -> bool:
    return _bool_option(return_dict, "return_dict", "GOLONG_REWARD_RETURN_DICT")


def _audit_value(audit: Any) -> bool:
    return _bool_option(audit, "audit", "GOLONG_REWARD_AUDIT")


def _audit_penalty_value(audit_penalty: Any) -> Dict[str, float]:
    """audit_penalty as {flag: value} (a dict, or "flag:value,flag:value"); GOLONG_REWARD_AUDIT_PENALTY when not given.

    The service checks the flags and the range, and answers 400 naming a wrong one."""
    source = "audit_penalty"
    if audit_penalty is None:
        audit_penalty, source = os.environ.get("GOLONG_REWARD_AUDIT_PENALTY") or "", "GOLONG_REWARD_AUDIT_PENALTY"
    if isinstance(audit_penalty, dict) or hasattr(audit_penalty, "items"):
        return dict(audit_penalty.items())
    if not isinstance(audit_penalty, str):
        raise TypeError("audit_penalty must be a {{flag: value}} dict or a \"flag:value,...\" string, not {!r}".format(audit_penalty))
    out: Dict[str, float] = {}
    for piece in audit_penalty.split(","):
        piece = piece.strip()
        if not piece:
            continue
        flag, sep, value = piece.rpartition(":")
        try:
            if not sep:
                raise ValueError
            out[flag.strip()] = float(value)
        except ValueError:
            raise ValueError("{} must be flag:value[,flag:value], e.g. repetition_loop:0; got {!r}".format(source, piece)) from None
    return out


def _refuse_unknown_kwargs(function: str, kwargs: Dict[str, Any]) -> None:
    """Raises TypeError for a keyword that is neither an option nor one verl passes itself (a typo must not pass silently)."""
    unknown = sorted(k for k in kwargs if k not in _VERL_KWARGS)
    if not unknown:
        return
    name = unknown[0]
    close = difflib.get_close_matches(name, _OPTIONS + tuple(sorted(_VERL_KWARGS)), n=1, cutoff=0.6)
    hint = " (did you mean {!r}?)".format(close[0]) if close else ""
    raise TypeError(
        "{}() got an unexpected keyword argument {!r}{}. Its options are {}; verl's own {} are accepted and "
        "not used.".format(function, name, hint, ", ".join(_OPTIONS), ", ".join(sorted(_VERL_KWARGS)))
    )


class GolongRewardClient:
    """Scores verl rows (or native items) through POST /score, in concurrent chunks."""

    def __init__(
        self,
        url: Optional[str] = None,
        token: Optional[str] = None,
        timeout: Optional[float] = None,
        chunk_size: Optional[int] = None,
        concurrency: Optional[int] = None,
        retries: Optional[int] = None,
        backoff: float = 0.5,
        gzip_bodies: Optional[bool] = None,
    ):
        urls = url or os.environ.get("GOLONG_REWARD_URL") or "http://127.0.0.1:8000"
        self.urls = [u.strip().rstrip("/") for u in urls.split(",") if u.strip()]
        self.token = token if token is not None else os.environ.get("GOLONG_REWARD_TOKEN") or None
        self.timeout = timeout or _env_number("GOLONG_REWARD_TIMEOUT", float, "seconds per request") or 300.0
        self.chunk_size = int(chunk_size or _env_number("GOLONG_REWARD_CHUNK_SIZE", int, "items per request") or 2048)
        self.concurrency = int(concurrency or _env_number("GOLONG_REWARD_CONCURRENCY", int, "requests in flight") or 4)
        env_retries = _env_number("GOLONG_REWARD_RETRIES", int, "retries after the first attempt")
        self.retries = int(retries if retries is not None else env_retries if env_retries is not None else 5)
        self.backoff = backoff
        self.gzip_bodies = _bool_option(gzip_bodies, "gzip_bodies", "GOLONG_REWARD_GZIP")
        #: After a call with the audit on: {reward_type: {flag: count}} over its items.
        self.last_audit: Dict[str, Dict[str, int]] = {}
        self._next_url = 0
        self._lock = threading.Lock()
        if self.chunk_size < 1 or self.concurrency < 1:
            raise ValueError("chunk_size and concurrency must be at least 1")

    def _pick_url(self) -> str:
        with self._lock:
            url = self.urls[self._next_url % len(self.urls)]
            self._next_url += 1
            return url

    def _post(self, path: str, body: Dict[str, Any]) -> Dict[str, Any]:
        data = json.dumps(body, default=_json_default, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.gzip_bodies and len(data) > _GZIP_ABOVE_BYTES:
            data = gzip.compress(data, compresslevel=1)
            headers["Content-Encoding"] = "gzip"
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        last_problem = ""
        for attempt in range(self.retries + 1):
            url = self._pick_url() + path
            request = urllib.request.Request(url, data=data, headers=headers, method="POST")
            delay = self.backoff * (2 ** attempt) * (0.5 + random.random())
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return json.loads(response.read().decode("utf-8"))
            except urllib.error.HTTPError as err:
                detail = err.read().decode("utf-8", "replace")[:500]
                if err.code not in _RETRY_STATUSES:
                    raise GolongRewardError("{} answered HTTP {}: {}".format(url, err.code, detail)) from None
                last_problem = "HTTP {} (service busy or restarting): {}".format(err.code, detail)
                retry_after = err.headers.get("Retry-After")
                if retry_after and retry_after.isdigit():
                    delay = max(delay, float(retry_after))
            except (urllib.error.URLError, http.client.HTTPException, ConnectionError, socket.timeout, TimeoutError) as err:
                last_problem = "{}: {}".format(type(err).__name__, getattr(err, "reason", err))
            if attempt < self.retries:
                time.sleep(delay)
        raise GolongRewardError(
            "could not reach the reward service at {} after {} attempts: {}".format(
                ", ".join(self.urls), self.retries + 1, last_problem
            )
        )

    def score_items(self, items: Sequence[Dict[str, Any]], **options: Any) -> List[Dict[str, Any]]:
        """Posts items in chunks (concurrently) and returns the results in item order."""
        chunks = [list(items[i : i + self.chunk_size]) for i in range(0, len(items), self.chunk_size)]

        def run(chunk: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
            reply = self._post("/score", dict(options, items=chunk))
            results = reply.get("results")
            if not isinstance(results, list) or len(results) != len(chunk):
                raise GolongRewardError("the service returned {} results for {} items".format(
                    len(results) if isinstance(results, list) else "no", len(chunk)))
            return results

        if len(chunks) <= 1:
            return run(chunks[0]) if chunks else []
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(chunks))) as pool:
            return [result for chunk_results in pool.map(run, chunks) for result in chunk_results]

    def score_rows(
        self,
        data_sources: Sequence[str],
        solution_strs: Sequence[str],
        ground_truths: Sequence[Any],
        extra_infos: Optional[Sequence[Any]] = None,
        on_error: Optional[float] = None,
        return_dict: Optional[bool] = None,
        audit: Optional[bool] = None,
        audit_penalty: Any = None,
    ) -> List[Any]:
        """Scores verl rows: one float per row, or with return_dict one {"score", "reward_type", "error"} dict.

        Item errors raise GolongRewardItemError unless on_error (or GOLONG_REWARD_ON_ERROR) gives
        them a score; then they are logged, one warning per call with the codes and counts.
        With audit (or audit_penalty), flagged items are counted in self.last_audit and logged,
        and return_dict adds "audit" and "reference_score" to every dict.
        """
        on_error = _on_error_value(on_error)
        return_dict = _return_dict_value(return_dict)
        penalty = _audit_penalty_value(audit_penalty)
        audited = _audit_value(audit) or bool(penalty)
        n = len(solution_strs)
        if not (len(data_sources) == len(ground_truths) == n) or (extra_infos is not None and len(extra_infos) != n):
            raise ValueError("data_sources, solution_strs, ground_truths and extra_infos must have the same length")
        items = [
            {
                "id": i,
                "data_source": data_sources[i],
                "solution_str": solution_strs[i],
                "ground_truth": ground_truths[i],
                "extra_info": extra_infos[i] if extra_infos is not None else None,
            }
            for i in range(n)
        ]
        options: Dict[str, Any] = {}
        if audited:
            options["audit"] = True
            if penalty:
                options["audit_penalty"] = penalty
        results = self.score_items(items, **options)
        if audited:
            self._note_audit(results)
        scores: List[Any] = []
        errors: List[Dict[str, Any]] = []
        for index, result in enumerate(results):
            error = result.get("error") or {}
            failed = bool(error) or result.get("score") is None
            if failed:
                errors.append({"index": index, "code": error.get("code"), "message": error.get("message")})
                score = float(on_error) if on_error is not None else float("nan")
            else:
                score = float(result["score"])
            if return_dict:
                # The same keys for every item: verl gathers each key into one list per batch.
                code = (error.get("code") or "unknown") if failed else ""
                entry = {"score": score, "reward_type": result.get("reward_type") or "", "error": code}
                if audited:
                    entry["audit"] = ",".join(f["flag"] for f in result.get("audit") or [])
                    entry["reference_score"] = float(result.get("reference_score", score))
                scores.append(entry)
            else:
                scores.append(score)
        if errors and on_error is None:
            raise GolongRewardItemError(errors)
        if errors:
            _log_mapped_errors(errors, n, on_error)
        return scores

    def _note_audit(self, results: List[Dict[str, Any]]) -> None:
        """Counts the audit's flags per reward type (self.last_audit) and logs one warning when any fired."""
        counts: Dict[str, Dict[str, int]] = {}
        flagged = 0
        for result in results:
            findings = result.get("audit") or []
            if findings:
                flagged += 1
            for finding in findings:
                per_type = counts.setdefault(str(result.get("reward_type")), {})
                per_type[finding["flag"]] = per_type.get(finding["flag"], 0) + 1
        self.last_audit = counts
        if flagged:
            shown = "; ".join(
                "{}: {}".format(t, ", ".join("{} {}".format(f, k) for f, k in sorted(fc.items()))) for t, fc in sorted(counts.items())
            )
            _log.warning("golong-reward audit: %d of %d rollouts flagged (%s)", flagged, len(results), shown)


def _log_mapped_errors(errors: List[Dict[str, Any]], total: int, on_error: float) -> None:
    """One warning for a batch whose failed items were given on_error: counts per code and the first message."""
    counts: Dict[str, int] = {}
    for e in errors:
        code = e.get("code") or "unknown"
        counts[code] = counts.get(code, 0) + 1
    by_code = ", ".join("{} {}".format(code, k) for code, k in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    first = errors[0]
    _log.warning(
        "golong-reward: %d of %d item(s) could not be scored and were given on_error=%s: %s; first: item %s: %s",
        len(errors), total, on_error, by_code, first.get("index"), first.get("message"),
    )


_default_client: Optional[GolongRewardClient] = None
_default_lock = threading.Lock()


def _client() -> GolongRewardClient:
    global _default_client
    with _default_lock:
        if _default_client is None:
            _default_client = GolongRewardClient()
        return _default_client


def compute_score(
    data_source: str,
    solution_str: str,
    ground_truth: Any,
    extra_info: Any = None,
    on_error: Optional[float] = None,
    return_dict: Optional[bool] = None,
    audit: Optional[bool] = None,
    audit_penalty: Any = None,
    **verl_kwargs: Any,
) -> Any:
    """verl's per-rollout entry point (naive, dapo… reward managers): one rollout, one score (or dict)."""
    _refuse_unknown_kwargs("compute_score", verl_kwargs)
    return _client().score_rows(
        [data_source], [solution_str], [ground_truth], [extra_info],
        on_error=on_error, return_dict=return_dict, audit=audit, audit_penalty=audit_penalty,
    )[0]


def compute_score_batch(
    data_sources: Sequence[str],
    solution_strs: Sequence[str],
    ground_truths: Sequence[Any],
    extra_infos: Optional[Sequence[Any]] = None,
    on_error: Optional[float] = None,
    return_dict: Optional[bool] = None,
    audit: Optional[bool] = None,
    audit_penalty: Any = None,
    **verl_kwargs: Any,
) -> List[Any]:
    """verl's batch reward manager entry point: the whole batch in concurrent chunks."""
    _refuse_unknown_kwargs("compute_score_batch", verl_kwargs)
    return _client().score_rows(
        data_sources, solution_strs, ground_truths, extra_infos,
        on_error=on_error, return_dict=return_dict, audit=audit, audit_penalty=audit_penalty,
    )
