"""Figure functions: one per figure, data in, ``matplotlib.figure.Figure`` out.

Each ends with :func:`homecare.figures.style.finish_figure` (title, 出典, サンプルデータ mark), so an
analyst can call it from any notebook and save it with :func:`homecare.figures.style.save_figure`.
Terms: docs/glossary.md.
"""
