"""A payout curve drawn as SVG or PNG with matplotlib (the optional ``plot`` extra).

Contract: :func:`render_plot` draws a :class:`~incentives.report.curve.Curve`
and returns the file's bytes: the total (unless the curve shows one
component) and each component against attainment from 0 % to 200 %, band
edges as dotted vertical lines, gates as dashed vertical lines, caps and
floors as horizontal lines, each mark labelled. The curve is computed
elsewhere; this module only draws it.

Floats: matplotlib draws in floating point, so amounts and attainments are
converted with ``float()`` here, at the very last step, for drawing
coordinates only. No float is ever computed with, compared or written as a
number: the CSV and every label come from the exact decimals.

Determinism: the same curve gives the same bytes. Matplotlib is imported
lazily (``incentives check`` never pays for it) and used without pyplot
(no global figure state, no GUI backend): a :class:`~matplotlib.figure.Figure`
saved through its Agg or SVG canvas, inside an ``rc_context`` that starts from
matplotlib's defaults (a user's ``matplotlibrc`` changes nothing) with a fixed
``svg.hashsalt`` (stable element ids), text kept as ``<text>`` in SVG, the
bundled DejaVu Sans font, math parsing off (a ``$`` in a name is text) and
the metadata that would carry a date or a version left out. Bytes are stable
for one matplotlib version; another version may lay the figure out
differently.

Raises :class:`~incentives.errors.UsageError` ("install incentives[plot]")
when matplotlib is not installed.
"""

from __future__ import annotations

import io
import warnings
from typing import Any, Literal

from incentives.check.types import money, show
from incentives.errors import UsageError
from incentives.report._text import visible
from incentives.report.curve import Curve

__all__ = ["INSTALL_HINT", "render_plot"]

INSTALL_HINT = (
    "plotting needs matplotlib: install incentives[plot] (pip install 'incentives[plot]')"
)

_RC = {
    "svg.hashsalt": "incentives",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "text.parse_math": False,
    "text.usetex": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "path.simplify": False,
}

_COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)  # fmt: skip

_MARK_STYLE = {
    "band": {"color": "#888888", "linestyle": ":", "linewidth": 1.0},
    "gate": {"color": "#d62728", "linestyle": "--", "linewidth": 1.0},
    "cap": {"color": "#6a3d9a", "linestyle": "-.", "linewidth": 1.0},
    "floor": {"color": "#b15928", "linestyle": ":", "linewidth": 1.0},
}


def _matplotlib() -> Any:
    try:
        import matplotlib
        import matplotlib.ticker
        from matplotlib.figure import Figure
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    return matplotlib, Figure


def render_plot(curve: Curve, file_format: Literal["svg", "png"]) -> bytes:
    """The curve drawn as SVG or PNG bytes (see the module docstring).

    Raises:
        UsageError: if matplotlib is not installed.
    """
    matplotlib, figure_class = _matplotlib()
    with matplotlib.rc_context(), warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="Glyph .* missing from font", category=UserWarning
        )
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(
            {**_RC, "axes.prop_cycle": matplotlib.cycler(color=list(_COLOURS))}
        )
        figure = figure_class(figsize=(10, 5.5), layout="constrained")
        _draw(figure, curve, matplotlib.ticker)
        buffer = io.BytesIO()
        if file_format == "svg":
            metadata: dict[str, Any] = {"Date": None, "Creator": None, "Title": _title(curve)}
            figure.savefig(buffer, format="svg", metadata=metadata)
        else:
            figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _title(curve: Curve) -> str:
    who = f"payee {curve.payee}" if curve.payee else "a full-time payee"
    return visible(f"{curve.plan}: {who}, {curve.period}")


def _draw(figure: Any, curve: Curve, ticker: Any) -> None:
    axes = figure.add_subplot()
    currency = money(curve.currency)
    # Decimal → float for drawing coordinates only (see the module docstring).
    xs = [float(p.attainment * 100) for p in curve.points]
    if curve.with_total:
        totals = [float(p.total) for p in curve.points]
        axes.plot(xs, totals, color="#000000", linewidth=2.2, label="total", zorder=4)
    for i, name in enumerate(curve.components):
        ys = [float(p.amounts[i]) for p in curve.points]
        axes.plot(xs, ys, linewidth=1.3, label=visible(name), zorder=3)
    for mark in curve.marks:
        style = _MARK_STYLE[mark.kind]
        label = visible(mark.label)
        if mark.axis == "x":
            x = float(mark.value * 100)
            axes.axvline(x, zorder=2, **style)
            axes.text(
                x,
                0.99,
                f" {label}",
                transform=axes.get_xaxis_transform(),
                rotation=90,
                va="top",
                ha="right",
                fontsize=7,
                color=style["color"],
            )
        else:
            y = float(mark.value)
            axes.axhline(y, zorder=2, **style)
            axes.text(
                0.995,
                y,
                label,
                transform=axes.get_yaxis_transform(),
                va="bottom",
                ha="right",
                fontsize=7,
                color=style["color"],
            )
    axes.set_xlim(0, 200)
    axes.set_xticks(range(0, 201, 25))
    axes.set_xlabel(visible(f"attainment, % of {show(curve.quota, currency)} of sales"))
    axes.set_ylabel(visible(f"payout ({curve.currency})"))
    axes.set_title(_title(curve), fontsize=11)
    axes.grid(visible=True, color="#e6e6e6", linewidth=0.6, zorder=0)
    axes.yaxis.set_major_formatter(ticker.StrMethodFormatter("{x:,.0f}"))
    figure.legend(loc="outside right upper", fontsize=8, frameon=False)
