"""The HipLens knowledge base: typed models, loader, checks and export (no streamlit)."""

from components.knowledge.loader import DATA_DIR, ContentError, KnowledgeBase, KnowledgeError, check, load_knowledge

__all__ = ["DATA_DIR", "ContentError", "KnowledgeBase", "KnowledgeError", "check", "load_knowledge"]
