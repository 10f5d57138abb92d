"""Population projections and the 2040 demand outlook (将来推計人口・医療介護需要の見通し).

Modules, one job each: ``bands`` (5-year age bands), ``table`` (the simple CSV format),
``ipss`` (IPSS municipal projection workbooks), ``apportion`` (designated-city totals to
wards), ``aggregate`` (population by area, validation), ``demand`` (demand indices),
``supply`` (facilities per 1,000 aged 75+), ``sample`` (synthetic sample inputs).
"""
