"""Where a Sankey diagram puts its stages and bands: plain geometry, drawn by the charts.

Stages stand in columns, each as far right as its longest chain of moves
from a stage nobody moved into; a band runs from one stage to another, as
thick as the journeys that moved. Funnels loop (recycling sends journeys
back), so a move against the columns' order is not cut: it is drawn
backwards, from its stage's right edge to the earlier stage's left edge.
Everything is in units of the chart: columns are 1 apart, the tallest
column fills the height 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import attrs

NODE_WIDTH = 0.12
"""A stage's width, in columns."""
GAP = 0.04
"""The space between two stages of a column, as a share of the height."""
STEPS = 24
"""Points along each band's curve."""

Move = tuple[str, str, int]
"""From one stage, to another, how many journeys."""


@attrs.frozen(kw_only=True)
class Node:
    """A stage's box: its column, its top and bottom, and the journeys through it."""

    stage: str
    column: int
    top: float
    bottom: float
    journeys: int


@attrs.frozen(kw_only=True)
class Band:
    """A move's band: the points of its upper and lower edges, left to right along the move."""

    source: str
    target: str
    journeys: int
    points: tuple[tuple[float, float, float], ...]
    """(x, top, bottom), in drawing order."""


def layout(moves: Sequence[Move]) -> tuple[list[Node], list[Band]]:
    """The boxes and bands of a Sankey diagram of ``moves`` (each a distinct pair of stages)."""
    moves = [move for move in moves if move[2] > 0]
    if not moves:
        return [], []
    order = _first_seen(moves)
    column = _columns(moves, order)
    size = {stage: _through(stage, moves) for stage in order}
    stacks: dict[int, list[str]] = defaultdict(list)
    for stage in order:
        stacks[column[stage]].append(stage)
    tallest = max(
        sum(size[stage] for stage in stack) / (1 - GAP * (len(stack) - 1))
        for stack in stacks.values()
    )
    scale = 1 / tallest
    nodes: dict[str, Node] = {}
    for index, stack in stacks.items():
        top = 0.0
        for stage in stack:
            height = size[stage] * scale
            nodes[stage] = Node(
                stage=stage, column=index, top=top, bottom=top + height, journeys=size[stage]
            )
            top += height + GAP
    place = {stage: (column[stage], position) for position, stage in enumerate(order)}
    # Each stage's ports stacked in the order of the other ends, so bands cross as little
    # as the columns allow: out-ports by target, in-ports by source.
    starts = _ports(moves, nodes, scale, key=lambda m: (place[m[0]], place[m[1]]))
    ends = _ports(moves, nodes, scale, key=lambda m: (place[m[1]], place[m[0]]), incoming=True)
    bands = [
        Band(
            source=source,
            target=target,
            journeys=journeys,
            points=_curve(
                nodes[source].column + NODE_WIDTH,
                float(nodes[target].column),
                starts[source, target],
                ends[source, target],
                journeys * scale,
            ),
        )
        for source, target, journeys in sorted(moves, key=lambda m: (place[m[0]], place[m[1]]))
    ]
    return [nodes[stage] for stage in order], bands


def _ports(
    moves: Sequence[Move],
    nodes: dict[str, Node],
    scale: float,
    *,
    key: Callable[[Move], tuple[tuple[int, int], tuple[int, int]]],
    incoming: bool = False,
) -> dict[tuple[str, str], float]:
    """Where each move's band meets its source (or, ``incoming``, its target): its top edge."""
    free = {stage: node.top for stage, node in nodes.items()}
    ports = {}
    for source, target, journeys in sorted(moves, key=key):
        stage = target if incoming else source
        ports[source, target] = free[stage]
        free[stage] += journeys * scale
    return ports


def _first_seen(moves: Sequence[Move]) -> list[str]:
    """Stages in the order moves name them, sources before the stages they feed."""
    seen: dict[str, None] = {}
    for source, target, _ in moves:
        seen.setdefault(source)
        seen.setdefault(target)
    return list(seen)


def _columns(moves: Sequence[Move], order: list[str]) -> dict[str, int]:
    """Each stage's column: the longest chain of moves into it, moves back set aside."""
    back = _moves_back(moves, order)
    column = dict.fromkeys(order, 0)
    forward = [(s, t) for s, t, _ in moves if (s, t) not in back]
    for _ in order:  # longest paths in a graph without loops settle within len(order) rounds
        changed = False
        for source, target in forward:
            if column[target] < column[source] + 1:
                column[target] = column[source] + 1
                changed = True
        if not changed:
            break
    return column


def _moves_back(moves: Sequence[Move], order: list[str]) -> set[tuple[str, str]]:
    """The moves that close a loop, found by a depth-first walk from where journeys start.

    The walk starts at the stages nobody moves into (then at any left, for a
    pure loop); a move to a stage still on the walk's path goes back.
    """
    after: dict[str, list[str]] = defaultdict(list)
    for source, target, _ in moves:
        after[source].append(target)
    entered = {target for _, target, _ in moves}
    on_path: set[str] = set()
    done: set[str] = set()
    back: set[tuple[str, str]] = set()
    for root in [stage for stage in order if stage not in entered] + order:
        if root in done:
            continue
        path = [(root, iter(after[root]))]
        on_path.add(root)
        while path:
            stage, nexts = path[-1]
            following = next(nexts, None)
            if following is None:
                on_path.discard(stage)
                done.add(stage)
                path.pop()
            elif following in on_path:
                back.add((stage, following))
            elif following not in done:
                on_path.add(following)
                path.append((following, iter(after[following])))
    return back


def _through(stage: str, moves: Sequence[Move]) -> int:
    """Journeys through a stage: the larger of those that came in and those that went out."""
    came = sum(n for _, target, n in moves if target == stage)
    went = sum(n for source, _, n in moves if source == stage)
    return max(came, went)


def _curve(
    x0: float, x1: float, start: float, end: float, thickness: float
) -> tuple[tuple[float, float, float], ...]:
    points = []
    for step in range(STEPS + 1):
        t = step / STEPS
        ease = t * t * (3 - 2 * t)  # smoothstep: leaves and arrives level
        top = start + (end - start) * ease
        points.append((x0 + (x1 - x0) * t, top, top + thickness))
    return tuple(points)
