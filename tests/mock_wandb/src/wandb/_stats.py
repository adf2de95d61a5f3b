"""What the sweep engine needs of ``scipy.stats``, without importing ``scipy.stats``
(about 2 s of every process that samples a random or bayes value).

The engine (``sweeps.params``) turns a uniform draw ``q`` into a parameter value with the
``ppf`` (quantile function) of five distributions, ``uniform``, ``randint``, ``norm``,
``lognorm`` and ``beta``, and (bayes search) a parameter value into [0, 1] with their
``cdf``. Each ``ppf`` and ``cdf`` here computes exactly what scipy.stats computes, bit for
bit (tests/mock_wandb/tests/test_stats.py compares them over many inputs, scalars and
arrays, edge values and invalid parameters included):

* scipy's generic rules: ``nan`` for invalid parameters (a scale that is not positive,
  ``randint``'s ``high <= low`` or non-integral bounds, a shape that is not positive), for
  ``q`` outside [0, 1] and for a ``nan`` value; the support's ends at ``q == 0`` and
  ``q == 1``; 0 and 1 outside the support;
* the same arithmetic, in the same order: ``quantile(q) * scale + loc`` and
  ``cdf((x - loc) / scale)`` for the continuous ones, and randint's
  ``ceil(q * (high - low) + low) - 1`` with its one-step correction;
* the closed forms: uniform ``q`` and ``x``; norm ``ndtri(q)`` and ``ndtr(x)``; lognorm
  ``exp(s * ndtri(q))`` and ``ndtr(log(x) / s)``; beta scipy's own beta quantile and
  ``betainc``; randint ``(floor(k) - low + 1) / (high - low)``. ``scipy.special`` is
  imported for norm, lognorm and beta only, when first used (~0.4 s; the guide's random
  sweeps sample uniform and categorical values).

Anything else (``pdf``, another distribution...) is the real scipy.stats, imported on first
use: bayes search's Gaussian process (scikit-learn) and its expected improvement use the
real ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _real(name: str) -> Any:
    import scipy.stats

    return getattr(scipy.stats, name)


def __getattr__(name: str) -> Any:  # any other name of scipy.stats
    if name.startswith("__"):
        raise AttributeError(name)
    return _real(name)


def _special(name: str) -> Any:
    if name == "_beta_ppf":  # what scipy.stats.beta._ppf calls
        from scipy.special import _ufuncs

        return _ufuncs._beta_ppf
    import scipy.special

    return getattr(scipy.special, name)


class _Distribution:
    name = ""
    shapes: tuple[str, ...] = ()

    def __getattr__(self, attr: str) -> Any:  # cdf, pdf, rvs...: the real distribution's
        return getattr(_real(self.name), attr)

    def __repr__(self) -> str:
        return f"<wandb._stats.{self.name}: ppf computed as in scipy.stats>"

    def _bind(self, args: tuple, kwds: dict, names: tuple[str, ...], defaults: dict) -> list:
        if len(args) > len(names):
            raise TypeError(f"{self.name}.ppf() takes at most {len(names) + 1} positional arguments")
        values = dict(zip(names, args))
        for key, value in kwds.items():
            if key not in names or key in values:
                raise TypeError(f"{self.name}.ppf() got an unexpected or repeated argument {key!r}")
            values[key] = value
        missing = [n for n in names if n not in values and n not in defaults]
        if missing:
            raise TypeError(f"{self.name}.ppf() missing required argument(s): {', '.join(missing)}")
        return [np.asarray(values.get(n, defaults.get(n))) for n in names]

    @staticmethod
    def _fill(out: np.ndarray, mask: np.ndarray, value: Any) -> None:
        """out[mask] = value, value broadcast to out's shape first."""
        mask = np.broadcast_to(mask, out.shape)
        if mask.any():
            out[mask] = np.broadcast_to(value, out.shape)[mask]


class _Continuous(_Distribution):
    support: tuple[float, float] = (-np.inf, np.inf)

    def _valid(self, *shapes: np.ndarray) -> Any:
        valid: Any = True
        for shape in shapes:  # scipy's default check: every shape parameter > 0
            valid = np.logical_and(valid, shape > 0)
        return valid

    def _quantile(self, q: np.ndarray, *shapes: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _cdf(self, x: np.ndarray, *shapes: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def cdf(self, x: Any, *args: Any, **kwds: Any) -> Any:
        *shapes, loc, scale = self._bind(args, kwds, (*self.shapes, "loc", "scale"), {"loc": 0, "scale": 1})
        x = np.asarray(x)
        x = np.asarray((x - loc) / scale, dtype=np.promote_types(x.dtype, np.float64))
        valid = self._valid(*shapes) & (scale > 0)
        low, high = self.support
        with np.errstate(invalid="ignore"):
            inside = valid & (low < x) & (x < high) & (scale > 0)
        out = np.zeros(np.shape(inside), x.dtype)
        self._fill(out, ~np.asarray(valid) | np.isnan(x), np.nan)
        self._fill(out, (x >= np.asarray(high)) & valid, 1.0)
        mask = np.broadcast_to(inside, out.shape)
        if mask.any():
            x_in, *shapes_in = (np.broadcast_to(a, out.shape)[mask] for a in (x, *shapes))
            out[mask] = self._cdf(x_in, *shapes_in)
        return out[()] if out.ndim == 0 else out

    def ppf(self, q: Any, *args: Any, **kwds: Any) -> Any:
        *shapes, loc, scale = self._bind(args, kwds, (*self.shapes, "loc", "scale"), {"loc": 0, "scale": 1})
        q = np.asarray(q)
        valid = self._valid(*shapes) & (scale > 0) & (loc == loc)
        inside = valid & (0 < q) & (q < 1)
        out = np.full(np.shape(inside), np.nan)
        low, high = self.support
        self._fill(out, valid & (q == 0), low * scale + loc)
        self._fill(out, valid & (q == 1), high * scale + loc)
        mask = np.broadcast_to(inside, out.shape)
        if mask.any():
            q_in, *shapes_in, loc_in, scale_in = (np.broadcast_to(a, out.shape)[mask] for a in (q, *shapes, loc, scale))
            out[mask] = self._quantile(q_in, *shapes_in) * scale_in + loc_in
        return out[()] if out.ndim == 0 else out


class _Uniform(_Continuous):
    name = "uniform"
    support = (0.0, 1.0)

    def _quantile(self, q, *shapes):
        return q

    def _cdf(self, x, *shapes):
        return x


class _Norm(_Continuous):
    name = "norm"

    def _quantile(self, q, *shapes):
        return _special("ndtri")(q)

    def _cdf(self, x, *shapes):
        return _special("ndtr")(x)


class _Lognorm(_Continuous):
    name = "lognorm"
    shapes = ("s",)
    support = (0.0, np.inf)

    def _quantile(self, q, s):
        return np.exp(s * _special("ndtri")(q))

    def _cdf(self, x, s):
        return _special("ndtr")(np.log(x) / s)


class _Beta(_Continuous):
    name = "beta"
    shapes = ("a", "b")
    support = (0.0, 1.0)

    def _quantile(self, q, a, b):
        return _special("_beta_ppf")(q, a, b)

    def _cdf(self, x, a, b):
        return _special("betainc")(a, b, x)


class _Randint(_Distribution):
    """Integers low..high-1, each as likely."""

    name = "randint"

    def ppf(self, q: Any, *args: Any, **kwds: Any) -> Any:
        low, high, loc = self._bind(args, kwds, ("low", "high", "loc"), {"loc": 0})
        q = np.asarray(q)
        valid = (high > low) & (low == np.round(low)) & (high == np.round(high)) & (loc == loc)
        inside = valid & (q > 0) & (q < 1)
        out = np.full(np.shape(inside), np.nan, dtype="d")
        self._fill(out, (q == 0) & valid, low - 1 + loc)  # below the support, by convention
        self._fill(out, (q == 1) & valid, high - 1 + loc)
        mask = np.broadcast_to(inside, out.shape)
        if mask.any():
            q_in, low_in, high_in, loc_in = (np.broadcast_to(a, out.shape)[mask] for a in (q, low, high, loc))
            value = np.ceil(q_in * (high_in - low_in) + low_in) - 1
            below = (value - 1).clip(low_in, high_in)
            # the smallest integer whose cdf reaches q: one less, if its cdf already does
            cdf_below = (np.floor(below) - low_in + 1.0) / (high_in - low_in)
            out[mask] = np.where(cdf_below >= q_in, below, value) + loc_in
        return out[()] if out.ndim == 0 else out

    def cdf(self, k: Any, *args: Any, **kwds: Any) -> Any:
        low, high, loc = self._bind(args, kwds, ("low", "high", "loc"), {"loc": 0})
        k = np.asarray(np.asarray(k) - loc)
        valid = (high > low) & (low == np.round(low)) & (high == np.round(high))
        inside = valid & (k >= low) & (k < high - 1) & np.isfinite(k)
        out = np.zeros(np.shape(inside), "d")
        self._fill(out, k >= high - 1, 1.0)  # from the last value on
        self._fill(out, ~np.asarray(valid) | np.isnan(k), np.nan)
        mask = np.broadcast_to(inside, out.shape)
        if mask.any():
            k_in, low_in, high_in = (np.broadcast_to(a, out.shape)[mask] for a in (k, low, high))
            out[mask] = np.clip((np.floor(k_in) - low_in + 1.0) / (high_in - low_in), 0, 1)
        return out[()] if out.ndim == 0 else out


uniform = _Uniform()
norm = _Norm()
lognorm = _Lognorm()
beta = _Beta()
randint = _Randint()
