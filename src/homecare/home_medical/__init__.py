"""Home medical care supply and activity (在宅医療の提供体制と実績).

Modules, one job each: :mod:`sheets` (opening the Excel sources), :mod:`symbols` (the 受理記号
map: 在支診・在支病 by type, 在後病, look-alikes), :mod:`read_notifications` (the 地方厚生局
届出受理医療機関名簿（医科）: institutions and their notifications), :mod:`read_databook` (the MHLW
在宅医療にかかる地域別データ集: items by 項目番号, 全国計), :mod:`geography` (the municipality level
of the データ集 and the area groups where its values are exact), :mod:`link` (institutions to
医療情報ネット facilities), :mod:`supply` (counts, rates, 2040 need), :mod:`activity` (訪問診療・
往診・看取り against the national value), :mod:`crosscheck` (list against データ集), :mod:`published`
(Japanese tables), :mod:`schemas` (processed tables). Terms: docs/glossary.md.
"""
