"""Client for the golong-reward service, for verl's reward managers. Standard library only.

verl, naive reward manager (one call per rollout)::

    custom_reward_function.path=clients/python/golong_reward_client.py
    custom_reward_function.name=compute_score

verl, batch reward manager (one call per batch; much faster)::

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
    GOLONG_REWARD_ON_ERROR     a float: score for items the service could not score, instead of
                               raising GolongRewardItemError
"""

from __future__ import annotations

import gzip
import http.client
import json
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

_GZIP_ABOVE_BYTES = 1 << 20
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


def _env_float(name: str) -> Optional[float]:
    raw = os.environ.get(name)
    return None if raw in (None, "") else float(raw)


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
    ):
        urls = url or os.environ.get("GOLONG_REWARD_URL") or "http://127.0.0.1:8000"
        self.urls = [u.strip().rstrip("/") for u in urls.split(",") if u.strip()]
        self.token = token if token is not None else os.environ.get("GOLONG_REWARD_TOKEN") or None
        self.timeout = timeout or _env_float("GOLONG_REWARD_TIMEOUT") or 300.0
        self.chunk_size = int(chunk_size or os.environ.get("GOLONG_REWARD_CHUNK_SIZE") or 2048)
        self.concurrency = int(concurrency or os.environ.get("GOLONG_REWARD_CONCURRENCY") or 4)
        self.retries = int(retries if retries is not None else os.environ.get("GOLONG_REWARD_RETRIES") or 5)
        self.backoff = backoff
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
        if len(data) > _GZIP_ABOVE_BYTES:
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
    ) -> List[float]:
        """Scores verl rows; raises GolongRewardItemError on item errors unless on_error is given."""
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
        results = self.score_items(items)
        if on_error is None:
            on_error = _env_float("GOLONG_REWARD_ON_ERROR")
        scores: List[float] = []
        errors: List[Dict[str, Any]] = []
        for index, result in enumerate(results):
            if result.get("error") or result.get("score") is None:
                error = result.get("error") or {}
                errors.append({"index": index, "code": error.get("code"), "message": error.get("message")})
                scores.append(float(on_error) if on_error is not None else float("nan"))
            else:
                scores.append(float(result["score"]))
        if errors and on_error is None:
            raise GolongRewardItemError(errors)
        return scores


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
    **_ignored: Any,
) -> float:
    """verl naive reward manager entry point: one rollout, one score."""
    return _client().score_rows([data_source], [solution_str], [ground_truth], [extra_info], on_error=on_error)[0]


def compute_score_batch(
    data_sources: Sequence[str],
    solution_strs: Sequence[str],
    ground_truths: Sequence[Any],
    extra_infos: Optional[Sequence[Any]] = None,
    on_error: Optional[float] = None,
    **_ignored: Any,
) -> List[float]:
    """verl batch reward manager entry point: the whole batch in concurrent chunks."""
    return _client().score_rows(data_sources, solution_strs, ground_truths, extra_infos, on_error=on_error)
