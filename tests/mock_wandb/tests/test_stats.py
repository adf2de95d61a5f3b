"""wandb._stats: the quantile functions (ppf) the sweep engine samples with, and the cdf's bayes
search normalizes with, are scipy.stats's, bit for bit."""

from __future__ import annotations

import collections
import math
import random

import numpy as np
import pytest

from wandb import _stats

stats = pytest.importorskip("scipy.stats")
# Invalid parameters (a zero scale, a beta that does not converge) warn in scipy as they do here.
pytestmark = pytest.mark.filterwarnings(
    "ignore:invalid value encountered:RuntimeWarning",
    "ignore:divide by zero encountered:RuntimeWarning",
    "ignore:Error in function boost:RuntimeWarning",
)

# scipy 1.15 (the last release for Python 3.10) answers ppf(0) of a randint whose bounds are
# invalid (non-integral, or an empty range) with low - 1 where later releases answer nan, as the
# mock does. The engine never asks that (its schema wants integer bounds, min <= max), so on
# such a scipy those calls are left out; every other call is compared as everywhere else.
OLD_RANDINT_EDGE = not math.isnan(stats.randint.ppf(0.0, 1.5, 4))

N = 4000  # random inputs per distribution, besides the edge values below
SCALAR_CALLS = 300  # of them called one by one; the rest as arrays
EDGE_Q = [0.0, 1.0, 5e-324, 1e-300, 1e-17, 0.5, 1 - 2**-53, 0.25, 0.75, -0.0, -1e-9, 1 + 1e-9, math.nan]


def same(mine, theirs) -> bool:
    """Same type, same shape, same bits (nan's and the sign of zero included)."""
    if type(mine) is not type(theirs):
        return False
    a, b = np.asarray(mine), np.asarray(theirs)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def draws(rng: random.Random) -> list[float]:
    return EDGE_Q + [rng.random() for _ in range(N)]


def check(name: str, calls, method: str = "ppf") -> None:
    """Each call as it is (one value: what the engine does), for the first SCALAR_CALLS, then
    all calls with the same arguments at once, as arrays (every element computed alike)."""
    mine, theirs = getattr(getattr(_stats, name), method), getattr(getattr(stats, name), method)
    assert mine.__self__.__class__.__module__ == "wandb._stats"  # not the real one, delegated
    groups = collections.defaultdict(list)
    for i, (args, kwds) in enumerate(calls):
        if i < SCALAR_CALLS or not all(np.isscalar(v) for v in (*args, *kwds.values())):
            a, b = mine(*args, **kwds), theirs(*args, **kwds)
            assert same(a, b), (name, method, args, kwds, a, b)
        else:
            groups[(len(args), tuple(sorted(kwds)))].append((args, kwds))
    for (n, keys), group in groups.items():
        args = [np.array([g[0][i] for g in group]) for i in range(n)]
        kwds = {k: np.array([g[1][k] for g in group]) for k in keys}
        a, b = mine(*args, **kwds), theirs(*args, **kwds)
        assert same(a, b), (name, method, n, keys)
        differ = np.flatnonzero(np.asarray(a).view(np.uint64) != np.asarray(b).view(np.uint64))
        assert differ.size == 0, [group[i] for i in differ[:5]]


def values(rng: random.Random, low: float, high: float) -> list:
    """Values in and around [low, high], ends, infinities and nan included."""
    span = high - low
    return [low, high, low - 1, high + 1, -math.inf, math.inf, math.nan, 0, -0.0, 1, (low + high) / 2] + [
        rng.uniform(low - span / 4, high + span / 4) for _ in range(N // 4)
    ]


def test_uniform_as_the_engine_calls_it_and_with_keywords():
    rng = random.Random(1)
    calls = []
    for q in draws(rng):
        low = rng.choice([0, 1, -3, 0.0001, rng.uniform(-10, 10), 32])
        high = low + rng.choice([1, 480, 0.1, rng.uniform(0, 5), 0, -1])  # 0 and -1: invalid scale
        calls.append(((q, low, high - low), {}))
        calls.append(((q,), {"loc": low, "scale": high - low}))
        calls.append(((q, math.log(0.0001), math.log(0.1) - math.log(0.0001)), {}))  # log_uniform_values
    check("uniform", calls)


def test_randint_as_the_engine_calls_it():
    rng = random.Random(2)
    calls = []
    for q in draws(rng):
        n = rng.choice([1, 2, 3, 5, 7, 1000])  # categorical: indices 0..n-1
        calls.append(((q, 0, n), {}))
        low = rng.randint(-5, 20)
        high = low + rng.randint(-1, 30) + 1  # int_uniform: min..max+1, some invalid
        if not (OLD_RANDINT_EDGE and q == 0):
            calls.append(((q, low, high), {}))
            calls.append(((q, 1.5, 4), {}))  # non-integral bound: nan
        elif high > low:
            calls.append(((q, low, high), {}))
    check("randint", calls)


def test_norm_and_lognorm_with_their_keyword_arguments():
    rng = random.Random(3)
    calls_norm, calls_lognorm = [], []
    for q in draws(rng):
        mu, sigma = rng.uniform(-100, 100), rng.choice([0.1, 1, 50, rng.uniform(0, 3), 0, -1])
        calls_norm.append(((q,), {"loc": mu, "scale": sigma}))
        calls_lognorm.append(((q,), {"s": sigma, "scale": np.exp(mu / 50)}))
    check("norm", calls_norm)
    check("lognorm", calls_lognorm)


def test_beta_with_its_keyword_arguments():
    rng = random.Random(4)
    calls = []
    for q in draws(rng)[: N // 4]:
        calls.append(((q,), {"a": rng.choice([0.5, 1, 2, rng.uniform(0.1, 10), 0]), "b": rng.uniform(0.1, 10)}))
    check("beta", calls)


def test_arrays_broadcast_as_in_scipy():
    """Bayes search calls ppf with numpy values; arrays of q and of parameters broadcast."""
    rng = np.random.default_rng(5)
    q = np.concatenate([rng.random(200), [0.0, 1.0, -0.5, 2.0, np.nan]])
    check("uniform", [((q, -2.0, 3.0), {}), ((q[:, None], np.array([0.0, 1.0]), np.array([1.0, -1.0])), {})])
    check("norm", [((q,), {"loc": 1.0, "scale": 2.0}), ((np.float64(0.3),), {"loc": 0, "scale": 1})])
    check("lognorm", [((q,), {"s": np.array(0.5), "scale": 2.0})])
    check("beta", [((q,), {"a": 2.0, "b": 5.0})])
    q_empty = q[q != 0] if OLD_RANDINT_EDGE else q  # an empty range, [3, 3): see OLD_RANDINT_EDGE
    check("randint", [((q, 0, 4), {}), ((q_empty[:, None], np.array([0, 3]), np.array([10, 3])), {})])


def test_cdfs_as_bayes_search_calls_them():
    """HyperParameter.cdf: uniform on values or their logs, randint on indices, norm,
    lognorm, beta; one value or a row of the sweep's runs (possibly empty)."""
    rng = random.Random(6)
    check("uniform", [((x, 0.0001, 0.1 - 0.0001), {}) for x in values(rng, 0.0001, 0.1)]
          + [((x, 2, 0), {}) for x in (0.5, 2, 3)]  # scale 0: nan
          + [((np.array(values(rng, -3.0, 5.0)), -3.0, 8.0), {}), ((np.zeros(0), 0, 1), {})], "cdf")
    check("randint", [((x, 0, 3), {}) for x in values(rng, 0, 3)]
          + [((x, 5, 21), {}) for x in values(rng, 5, 21)] + [((1, 3, 3), {}), ((1.0, 0.5, 3), {})]
          + [((np.array([0.0, 1.0, 2.0, 5.0, np.nan]), 0, 3), {}), ((np.zeros(0), 0, 3), {})], "cdf")
    check("norm", [((x,), {"loc": 0.1, "scale": 0.2}) for x in values(rng, -1, 1)]
          + [((np.array(values(rng, -3, 3)),), {"loc": 0, "scale": 1}), ((0.0,), {"loc": 0, "scale": 0})], "cdf")
    check("lognorm", [((x,), {"s": rng.uniform(0.1, 3), "scale": np.exp(rng.uniform(-2, 2))}) for x in values(rng, 0, 20)]
          + [((np.array(values(rng, 0, 5)),), {"s": 0.3, "scale": 1.7}), ((1.0,), {"s": -1, "scale": 1})], "cdf")
    check("beta", [((x,), {"a": rng.uniform(0.1, 9), "b": rng.uniform(0.1, 9)}) for x in values(rng, 0, 1)]
          + [((np.array(values(rng, 0, 1)),), {"a": 0.5, "b": 0.5}), ((0.5,), {"a": 0, "b": 1})], "cdf")


def test_anything_else_is_the_real_scipy_stats():
    assert _stats.norm.pdf(0.0) == stats.norm.pdf(0.0)  # the real distribution's method
    assert _stats.gaussian_kde is stats.gaussian_kde  # another name of scipy.stats
    with pytest.raises(TypeError, match="missing required argument"):
        _stats.beta.ppf(0.5, a=1)
