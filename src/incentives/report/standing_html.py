"""The mid-period report as one self-contained HTML page, with inline SVG charts.

Contract: :func:`render_standing_html` renders a
:class:`~incentives.results.standing.StandingReport` with the Jinja2
template ``templates/standing.html.j2`` (autoescaped). Every number on the
page is the exact text of the report's JSON form
(:func:`~incentives.report.standing.render_standing_json`); fractions are
shown as percents by moving the decimal point two places, an exact shift.
Projected figures are labelled as projections wherever they appear.

Charts are SVG drawn here, inline in the page: attainment to date per payee
(with the 100 % line: on target for the date), the distribution of
attainment, and payout to date beside projected payout. Coordinates are
computed with exact fractions from the report's decimal text and written
rounded half to even to 0.01; no float is involved.

Safety: every text from the plan or the data goes through
:func:`~incentives.report._text.visible` and is escaped, in the template by
autoescaping and in the SVG by :func:`markupsafe.escape`. The page loads
nothing (no script, stylesheet, image, font or URL); a
``Content-Security-Policy`` meta tag forbids every fetch.

Determinism: the output depends only on the report; the same report renders
the same bytes (UTF-8, ``\\n`` line ends, final newline).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from markupsafe import Markup, escape

from incentives.evaluate.as_of import round_fraction
from incentives.money import format_decimal
from incentives.report._text import visible
from incentives.report.explain import show_value
from incentives.report.templating import html_environment
from incentives.results.standing import StandingReport

__all__ = ["render_standing_html"]

_TEMPLATE = "standing.html.j2"
_CENT = Decimal("0.01")

#: Bar colours by distribution bucket, low to high.
_COLOURS = ("#c0392b", "#e67e22", "#f1c40f", "#27ae60", "#1e8449")


def render_standing_html(report: StandingReport) -> str:
    """The HTML page of a standing report (see the module docstring)."""
    data = report.model_dump(mode="json")
    payees = [_texts(p) for p in data["payees"]]
    colours = {b["label"]: _COLOURS[i] for i, b in enumerate(data["distribution"])}
    context: dict[str, Any] = {
        "plan": _texts(data["plan"]),
        "report": _texts(data),
        "payees": payees,
        "measures": [_texts(m) for m in data["measures"]],
        "team": _texts(data["team"]) if data["team"] else None,
        "totals": _texts(data["totals"]),
        "leaderboards": [_texts(b) for b in data["leaderboards"]],
        "distribution": [_texts(b) for b in data["distribution"]],
        "notes": [visible(n) for n in data["notes"]],
        "percent": _percent,
        "attainment_chart": _attainment_chart(data["payees"], colours),
        "distribution_chart": _distribution_chart(data["distribution"]),
        "payout_chart": _payout_chart(data["payees"]),
    }
    return html_environment().get_template(_TEMPLATE).render(context)


def _texts(value: Any) -> Any:
    """The JSON form with every string made visible (controls shown as escapes)."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, list):
        return [_texts(v) for v in value]
    if isinstance(value, dict):
        return {k: _texts(v) for k, v in value.items()}
    return value


def _percent(text: str | None) -> str:
    """A fraction's text as a percent ("0.3871" → "38.71%"), or "—"."""
    return "—" if text is None else show_value(text, "percent")


# --------------------------------------------------------------------- SVG


def _n(value: Fraction) -> str:
    """A coordinate: rounded half to even to 0.01, without trailing zeros."""
    text = format(round_fraction(value, _CENT).normalize(), "f")
    return "0" if text in ("-0", "0") else text


def _exact(text: str) -> Fraction:
    return Fraction(Decimal(text))


def _label(payee: Mapping[str, Any]) -> str:
    return str(payee["payee_name"] or payee["payee"])


@dataclass(frozen=True)
class _Svg:
    """An SVG document under construction."""

    width: int
    height: int
    title: str
    parts: list[str]

    def text(
        self, x: Fraction, y: Fraction, words: str, anchor: str = "start", **extra: str
    ) -> None:
        attrs = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in extra.items())
        self.parts.append(
            f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{attrs}>'
            f"{escape(visible(words))}</text>"
        )

    def rect(
        self, x: Fraction, y: Fraction, w: Fraction, h: Fraction, fill: str, **extra: str
    ) -> None:
        attrs = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in extra.items())
        self.parts.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, Fraction(0)))}" '
            f'height="{_n(max(h, Fraction(0)))}" fill="{fill}"{attrs}/>'
        )

    def line(self, x1: Fraction, y1: Fraction, x2: Fraction, y2: Fraction, **extra: str) -> None:
        attrs = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in extra.items())
        self.parts.append(f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"{attrs}/>')

    def markup(self) -> Markup:
        head = (
            f'<svg role="img" width="{self.width}" '
            f'height="{self.height}" viewBox="0 0 {self.width} {self.height}" '
            'font-family="system-ui, sans-serif" font-size="12">'
            f"<title>{escape(self.title)}</title>"
        )
        # Every text and attribute value was escaped as its part was added.
        return Markup(head + "\n" + "\n".join(self.parts) + "\n</svg>")


_LEFT = Fraction(170)
_PLOT = Fraction(420)
_ROW = Fraction(24)
_TOP = Fraction(28)


def _attainment_chart(payees: Sequence[Mapping[str, Any]], colours: Mapping[str, str]) -> Markup:
    """Horizontal bars: each payee's attainment to date, with the 100 % line."""
    values = [_exact(p["attainment"]) for p in payees if p["attainment"] is not None]
    # The scale runs to 150 %, or further in steps of 50 % up to 300 %;
    # longer bars are cut at the edge and their value written out.
    top = Fraction(3, 2)
    while values and max(values) > top and top < 3:
        top += Fraction(1, 2)
    svg = _Svg(680, int(_TOP + _ROW * len(payees) + 12), "Attainment to date by payee", [])
    step = Fraction(1, 2)
    mark = Fraction(0)
    while mark <= top:
        x = _LEFT + _PLOT * mark / top
        bottom = _TOP + _ROW * len(payees)
        strong = mark == 1
        svg.line(
            x,
            _TOP - 4,
            x,
            bottom,
            stroke="#1a1a1a" if strong else "#ccc",
            stroke_dasharray="4 3" if strong else "none",
        )
        svg.text(x, _TOP - 10, _percent(format_decimal(round_fraction(mark, _CENT))), "middle")
        mark += step
    for index, payee in enumerate(payees):
        y = _TOP + _ROW * index
        svg.text(_LEFT - 8, y + 16, _label(payee), "end")
        if payee["attainment"] is None:
            svg.text(_LEFT + 4, y + 16, "no attainment to date", fill="#555")
            continue
        value = _exact(payee["attainment"])
        shown = min(max(value, Fraction(0)), top)
        colour = colours.get(payee["bucket"] or "", "#888")
        svg.rect(_LEFT, y + 5, _PLOT * shown / top, Fraction(14), colour)
        svg.text(_LEFT + _PLOT + 8, y + 16, _percent(payee["attainment"]))
    return svg.markup()


def _distribution_chart(buckets: Sequence[Mapping[str, Any]]) -> Markup:
    """Columns: how many payees fall in each attainment bucket."""
    svg = _Svg(480, 220, "Distribution of attainment to date", [])
    most = max([int(b["count"]) for b in buckets] + [1])
    left, width, base, height = Fraction(30), Fraction(84), Fraction(180), Fraction(140)
    svg.line(left - 10, base, left + width * len(buckets), base, stroke="#1a1a1a")
    for index, bucket in enumerate(buckets):
        x = left + width * index
        h = height * int(bucket["count"]) / most
        svg.rect(x + 8, base - h, width - 16, h, _COLOURS[index])
        svg.text(x + width / 2, base - h - 6, str(bucket["count"]), "middle")
        svg.text(x + width / 2, base + 18, str(bucket["label"]), "middle")
    return svg.markup()


def _payout_chart(payees: Sequence[Mapping[str, Any]]) -> Markup:
    """Paired bars: payout to date, and the projected payout (hatched, labelled)."""
    amounts = [_exact(p["payout_to_date"]) for p in payees] + [
        _exact(p["projected_payout"]) for p in payees if p["projected_payout"] is not None
    ]
    most = max([*amounts, Fraction(1)])
    row = Fraction(34)
    svg = _Svg(760, int(_TOP + row * len(payees) + 12), "Payout to date and projected", [])
    svg.rect(_LEFT, Fraction(6), Fraction(12), Fraction(10), "#34495e")
    svg.text(_LEFT + 16, Fraction(15), "to date")
    svg.rect(_LEFT + 80, Fraction(6), Fraction(12), Fraction(10), "#aab7c4")
    svg.text(_LEFT + 96, Fraction(15), "projected (a projection, not a payout)")
    for index, payee in enumerate(payees):
        y = _TOP + row * index
        svg.text(_LEFT - 8, y + 18, _label(payee), "end")
        paid = _exact(payee["payout_to_date"])
        svg.rect(_LEFT, y + 2, _PLOT * max(paid, Fraction(0)) / most, Fraction(13), "#34495e")
        svg.text(_LEFT + _PLOT + 8, y + 13, str(payee["payout_to_date"]))
        if payee["projected_payout"] is not None:
            projected = _exact(payee["projected_payout"])
            width = _PLOT * max(projected, Fraction(0)) / most
            svg.rect(_LEFT, y + 16, width, Fraction(13), "#aab7c4")
            svg.text(_LEFT + _PLOT + 8, y + 27, str(payee["projected_payout"]) + " projected")
    return svg.markup()
