from tests.demo.fake_scorer import predictable_scorer

__all__ = ["predictable_scorer"]
