"""A funnel as a picture: an SVG drawn here, so a notebook shows it with nothing installed.

Stages stand in levels, top down, by how many moves they are from the
initial stage (the shortest way), across in the order the funnel declares
them; each move between two stages is one arrow (its events in the arrow's
tooltip), down the funnel from edge to edge, back up or across arcing out to
the right. A stage nearly every other moves into (do not contact) says so
instead of drawing an arrow from each. Stages are coloured by what they are
for, read from the funnel's roles: won, lost or screened out, recycling, final.
"""

from __future__ import annotations

from collections import deque
from html import escape

from leadlife._funnel.roles import FunnelRoles
from leadlife._funnel.spec import FunnelSpec

_BOX_W, _BOX_H = 120, 26
_STEP_X, _STEP_Y = 150, 52
_MARGIN = 16
_TOP = 30  # room for the title
_EVERYWHERE = 0.4
"""A stage more than this share of the others move into is marked, not drawn to from each."""
_COLOURS = {
    "won": "#c7e9c0",
    "lost": "#fcbba1",
    "recycle": "#fdd49e",
    "final": "#d9d9d9",
    "open": "#deebf7",
}


def levels_of(spec: FunnelSpec, initial: str) -> dict[str, int]:
    """Each stage's level: its fewest moves from ``initial``; one past the last if unreachable."""
    following: dict[str, list[str]] = {stage.id: [] for stage in spec.stages}
    for move in spec.transitions:
        following[move.source].append(move.target)
    depth = {initial: 0}
    queue = deque([initial])
    while queue:
        stage = queue.popleft()
        for target in following[stage]:
            if target not in depth:
                depth[target] = depth[stage] + 1
                queue.append(target)
    last = max(depth.values(), default=0)
    return {stage.id: depth.get(stage.id, last + 1) for stage in spec.stages}


def svg(spec: FunnelSpec, roles: FunnelRoles) -> str:
    """The funnel drawn as an SVG document, top down (it scales to the width it is given)."""
    level = levels_of(spec, roles.initial)
    place: dict[str, tuple[float, float]] = {}
    across: dict[int, int] = {}
    for stage in spec.stages:  # the declared order, across each level
        depth = level[stage.id]
        index = across.get(depth, 0)
        across[depth] = index + 1
        place[stage.id] = (_MARGIN + index * _STEP_X, _TOP + depth * _STEP_Y)
    events: dict[tuple[str, str], list[str]] = {}
    for move in spec.transitions:
        if move.source != move.target:
            events.setdefault((move.source, move.target), []).append(move.event)
    # A stage nearly every other moves into (do not contact, lost...) would hide the rest
    # under its arrows: it says where it is reached from instead.
    sources: dict[str, set[str]] = {}
    for source, target in events:
        sources.setdefault(target, set()).add(source)
    crowded = {
        target
        for target, found in sources.items()
        if len(found) > _EVERYWHERE * (len(spec.stages) - 1)
    }
    width = _MARGIN * 2 + (max(across.values(), default=1) - 1) * _STEP_X + _BOX_W + 60
    height = _TOP + (max(level.values(), default=0) + 1) * _STEP_Y + _MARGIN
    arrows = [
        _arrow(place[source], place[target], names)
        for (source, target), names in events.items()
        if target not in crowded
    ]
    boxes = [
        _box(
            stage.id,
            place[stage.id],
            _colour(stage.id, roles),
            f"from {len(sources[stage.id])} stages" if stage.id in crowded else None,
        )
        for stage in spec.stages
    ]
    title = f"funnel {spec.name}: {len(spec.stages)} stages, {len(spec.transitions)} moves"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" font-family="sans-serif" font-size="11">'
        "<defs><marker id='head' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='7' "
        "markerHeight='7' orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' "
        "fill='#6b6b6b'/></marker></defs>"
        f'<text x="{_MARGIN}" y="{_MARGIN + 4}" font-weight="bold">{escape(title)}</text>'
        + "".join(arrows)
        + "".join(boxes)
        + "</svg>"
    )


def _colour(stage: str, roles: FunnelRoles) -> str:
    if stage in roles.won:
        return _COLOURS["won"]
    if stage in roles.screened_out or stage in roles.lost:
        return _COLOURS["lost"]
    if stage in roles.recycle:
        return _COLOURS["recycle"]
    if stage in roles.final:
        return _COLOURS["final"]
    return _COLOURS["open"]


def _box(stage: str, at: tuple[float, float], fill: str, note: str | None) -> str:
    x, y = at
    said = (
        f'<text x="{x + _BOX_W + 4}" y="{y + _BOX_H / 2 + 4}" font-size="9" fill="#6b6b6b">'
        f"{escape(note)}</text>"
        if note
        else ""
    )
    return (
        f"<g><title>{escape(stage)}</title>"
        f'<rect x="{x}" y="{y}" width="{_BOX_W}" height="{_BOX_H}" rx="5" fill="{fill}" '
        'stroke="#6b6b6b"/>'
        f'<text x="{x + _BOX_W / 2}" y="{y + _BOX_H / 2 + 4}" text-anchor="middle">'
        f"{escape(stage)}</text>{said}</g>"
    )


def _arrow(start: tuple[float, float], end: tuple[float, float], names: list[str]) -> str:
    (x1, y1), (x2, y2) = start, end
    if y2 > y1:  # down the funnel: from the bottom edge to the top edge, a gentle S
        sx, sy, ex, ey = x1 + _BOX_W / 2, y1 + _BOX_H, x2 + _BOX_W / 2, y2
        bend = (ey - sy) / 2
        path = f"M{sx},{sy} C{sx},{sy + bend} {ex},{ey - bend} {ex},{ey}"
    else:  # back up, or across a level: out of the right edge, arcing right, into the right
        sx, sy, ex, ey = x1 + _BOX_W, y1 + _BOX_H / 2, x2 + _BOX_W, y2 + _BOX_H / 2
        reach = max(sx, ex) + 20 + abs(sy - ey) / 6
        path = f"M{sx},{sy} C{reach},{sy} {reach},{ey} {ex},{ey}"
    return (
        f'<path d="{path}" fill="none" stroke="#9e9e9e" stroke-width="1.2" '
        f'marker-end="url(#head)"><title>{escape(", ".join(names))}</title></path>'
    )
