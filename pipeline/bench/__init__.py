"""Test material and measurement, apart from the stages: Blogger pages rendered from posts (``render``), a
deterministic synthetic blog (``synth``, with ``entities``, ``templates`` and ``writer``), and the benchmark
(``benchmark``). Nothing in the stages imports this package."""
