"""Geocoder benchmark (ジオコーディング性能): ``make bench`` / ``python -m homecare_dev.bench bench``.

Generates ``n`` realistic addresses from the mirrored gazetteer (every town, round robin,
random house numbers), half written cleanly and half messily (full-width digits, hyphen
variants, 丁目 in kanji or digits, 番地/号, no prefecture or county, postal code and
building, ヶ/ケ swapped, spaces, old municipality names, a designated city without its
ward), then times geocode + area assignment on one core with cold caches and prints
throughput, town-level match rates against the generating town, and peak memory.
Figures are printed, never asserted (tests must not depend on machine speed).
"""

from __future__ import annotations

import random
import re
import resource
import time

import pandas as pd
import psutil

from homecare.facilities import address as address_mod
from homecare.facilities.assign import DEFAULT_TOLERANCE_M, assign_areas, load_locator
from homecare.facilities.gazetteer import load_gazetteer, load_town_points
from homecare.reference import areas, municipalities

_CHOME = re.compile(r"^(.+?)([一二三四五六七八九十]+)丁目$")
_FW = str.maketrans("0123456789-", "０１２３４５６７８９－")
_HYPHENS = ["-", "‐", "－", "ー", "−", "―"]
_OLD = {"14151": ["津久井町", "津久井郡相模湖町", "藤野町", "城山町"]}


def _clean(unit: pd.Series, t: pd.Series, rng: random.Random) -> str:
    m = _CHOME.match(t["town"])
    n1, n2 = rng.randint(1, 40), rng.randint(1, 30)
    town = t["town"] + (t["koaza"] or "")
    if m:
        return f"神奈川県{unit['full_name']}{m.group(1)}{address_mod.kanji_number(m.group(2))}-{n1}-{n2}"
    return f"神奈川県{unit['full_name']}{town}{rng.randint(1, 3000)}"


def _messy(unit: pd.Series, t: pd.Series, rng: random.Random) -> str:
    m = _CHOME.match(t["town"])
    n1, n2, n3 = rng.randint(1, 40), rng.randint(1, 30), rng.randint(1, 3000)
    h = rng.choice(_HYPHENS)
    if m:
        c = address_mod.kanji_number(m.group(2))
        tail = rng.choice(
            [
                f"{m.group(1)}{c}{h}{n1}{h}{n2}",
                f"{t['town']}{n1}番{n2}号",
                f"{m.group(1)}{c}丁目{n1}番地{n2}",
                f"{t['town']}{n1}{h}{n2}",
                f"{m.group(1)}{c}丁目{n1}{h}{n2}",
            ]
        )
    else:
        town = t["town"] + (("字" if rng.random() < 0.5 else "") + t["koaza"] if t["koaza"] else "")
        tail = rng.choice(
            [f"{town}{n3}", f"{town}{n3}番地", f"{town}{n3}番地の{n2}", f"{town}{n3}{h}{n2}", f"大字{town}{n3}"]
        )
    r = rng.random()
    if unit["city"] and r < 0.05:
        muni = unit["city"]  # 相模原市橋本: ward left out, resolved by the town when unique
    elif unit["municipality_code"] in _OLD and r < 0.15:
        muni = rng.choice(_OLD[unit["municipality_code"]])
    elif unit["county"] and r < 0.5:
        muni = unit["name"]
    else:
        muni = unit["full_name"]
    muni = muni.replace("ヶ", "ケ") if rng.random() < 0.5 else muni.replace("ケ", "ヶ")
    text = ("神奈川県" if rng.random() < 0.4 else "") + (" " if rng.random() < 0.2 else "") + muni + tail
    if rng.random() < 0.3:
        text = text.translate(_FW)
    if rng.random() < 0.2:
        text = f"〒{rng.randint(210, 259)}-{rng.randint(0, 9999):04d} {text} {rng.choice(['第2', 'グリーン', 'ABC'])}ビル{rng.randint(1, 9)}F"
    return text


def make_addresses(n: int = 100_000, seed: int = 4) -> pd.DataFrame:
    """``n`` addresses (``address, variant, code, town``): every gazetteer town in turn,
    alternately clean and messy."""
    rng = random.Random(seed)
    towns = load_town_points()
    units = municipalities.units().set_index("municipality_code", drop=False)
    rows = []
    for i in range(n):
        t = towns.iloc[(i // 2) % len(towns)]
        unit = units.loc[t["municipality_code"]]
        variant = "clean" if i % 2 == 0 else "messy"
        text = _clean(unit, t, rng) if variant == "clean" else _messy(unit, t, rng)
        rows.append((text, variant, t["municipality_code"], t["town"]))
    return pd.DataFrame(rows, columns=["address", "variant", "code", "town"])


def run(n: int = 100_000, scheme_id: str = areas.DEFAULT_SCHEME) -> dict[str, float]:
    """Time geocode + assign on ``n`` generated addresses and print the figures."""
    proc = psutil.Process()
    gaz = load_gazetteer()
    scheme = areas.load_scheme(scheme_id)
    locator = load_locator()
    t0 = time.perf_counter()
    data = make_addresses(n)
    gen_s = time.perf_counter() - t0
    address_mod.normalize_address.cache_clear()  # cold cache: every address is new to the geocoder
    t0 = time.perf_counter()
    geo = gaz.geocode_many(data["address"])
    out = assign_areas(geo, scheme, tolerance_m=DEFAULT_TOLERANCE_M, locator=locator)
    elapsed = time.perf_counter() - t0
    t0 = time.perf_counter()
    cross = locator.locate(out["lat"].to_numpy(float), out["lon"].to_numpy(float), DEFAULT_TOLERANCE_M)
    pip_s = time.perf_counter() - t0
    ok_town = (
        (out["match_level"] == "town") & (out["municipality_code"] == data["code"]) & (out["town"] == data["town"])
    )
    ok_unit = out["municipality_code"] == data["code"]
    ok_area = out["area"] == data["code"].map({c: a.name for a in scheme.areas for c in a.members})
    figures = {"addresses": float(n), "seconds": elapsed, "per_second": n / elapsed, "pip_seconds": pip_s}
    for v in ("clean", "messy"):
        m = data["variant"] == v
        figures[f"town_{v}"] = float(ok_town[m].mean())
        figures[f"unit_{v}"] = float(ok_unit[m].mean())
        figures[f"area_{v}"] = float(ok_area[m].mean())
    figures["pip_agrees"] = float(
        (cross["point_code"] == out["municipality_code"])[out["match_level"] == "town"].mean()
    )
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["rss_mb"] = proc.memory_info().rss / 2**20
    print(f"generated {n:,} addresses from {gaz_towns(gaz):,} gazetteer towns in {gen_s:.1f} s (not timed below)")
    print(
        f"geocode + assign: {elapsed:.2f} s = {figures['per_second']:,.0f} addresses/s (one core, cold caches)  [floor 20,000/s]"
    )
    for v, floor in (("clean", 99.5), ("messy", 97.0)):
        print(
            f"  {v:5s}: town-level match {100 * figures[f'town_{v}']:.2f}% [floor {floor}%], "
            f"right unit {100 * figures[f'unit_{v}']:.2f}%, right area {100 * figures[f'area_{v}']:.2f}%"
        )
    print(
        f"point-in-polygon cross-check of all points: {pip_s:.2f} s; town point inside its own unit polygon "
        f"(or within {DEFAULT_TOLERANCE_M:.0f} m) {100 * figures['pip_agrees']:.2f}%"
    )
    print(f"peak memory (max RSS of the process): {figures['peak_rss_mb']:.0f} MB [floor < 1024 MB]")
    misses = data[~ok_town].assign(got_code=out["municipality_code"], got_town=out["town"], note=out["geocode_note"])
    if len(misses):
        print("examples of addresses not matched at town level:")
        print(misses.head(8).to_string(index=False))
    return figures


def gaz_towns(gaz: object) -> int:
    """Number of gazetteer points indexed by the geocoder."""
    return sum(len(e.chome) + len(e.koaza) + (e.plain is not None) for t in gaz.units.values() for e in t.values())


def main() -> None:
    """Entry registered in :data:`homecare_dev.bench.BENCHMARKS`."""
    run()


if __name__ == "__main__":
    main()
