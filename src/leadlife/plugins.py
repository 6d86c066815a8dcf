"""The registry of criteria, frameworks and recycling rules: built in, installed, registered."""

from __future__ import annotations

from leadlife._core.support.public import publish
from leadlife._policies.registry import PluginInfo, Registry, default_registry, installed_plugins

__all__ = [
    "PluginInfo",
    "Registry",
    "default_registry",
    "installed_plugins",
]

publish(__name__, globals(), __all__)
