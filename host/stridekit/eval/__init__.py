"""Evaluation: how far the pods' and the report's outputs can be trusted, with intervals."""
