"""The blocks of a page's root template found once per template, not on every page drawn.

Every page extends `base.html`, and Django's `{% extends %}`, drawing a page, walks the root
template's whole tree of nodes to find its `{% block %}`s, on every request: a few hundred nodes
for our base template, the same answer each time for a compiled template, which the cached
template loader keeps for the life of the process. `install()` keeps that answer on the
compiled root template. Everything else `{% extends %}` does is Django's own.
"""

from __future__ import annotations

from django.template.base import Template, TextNode
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode, ExtendsNode


def _root_blocks(template: Template) -> dict[str, BlockNode] | None:
    """The blocks of `template` when it is a root (it extends nothing), else None."""
    try:
        return template.__dict__["_root_blocks"]
    except KeyError:
        pass
    blocks = None
    for node in template.nodelist:
        # As Django decides it: the extends tag must be the first node that is not text.
        if not isinstance(node, TextNode):
            if not isinstance(node, ExtendsNode):
                blocks = {n.name: n for n in template.nodelist.get_nodes_by_type(BlockNode)}
            break
    template.__dict__["_root_blocks"] = blocks
    return blocks


def _render(self: ExtendsNode, context):
    compiled_parent = self.get_parent(context)
    if BLOCK_CONTEXT_KEY not in context.render_context:
        context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
    block_context = context.render_context[BLOCK_CONTEXT_KEY]
    block_context.add_blocks(self.blocks)
    blocks = _root_blocks(compiled_parent)
    if blocks is not None:
        block_context.add_blocks(blocks)
    with context.render_context.push_state(compiled_parent, isolated_context=False):
        return compiled_parent._render(context)


def install() -> None:
    """Keep each root template's blocks (called once, from CoreConfig)."""
    ExtendsNode.render = _render
