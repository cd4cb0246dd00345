"""Benchmark of personal-data masking (`cms.masking.mask_text`) on generated citizens' letters.

Builds N letters reproducibly from a seed (templates of complaints, tips, help requests and replies, filled with
generated names, ID numbers, phones, bank cards, plates, emails, addresses and health conditions, padded with
sentences of the seed documents), then measures, against a baseline of the same run on the same texts:

* throughput (characters/s) of `mask_text` against the existing `find_personal_data` (regular expressions
  only: ID numbers, mobiles, landlines), interleaved and repeated;
* one 5,000-character letter: `mask_text` against `find_personal_data`;
* the first call, which loads jieba's dictionary and part-of-speech tags (once per process);
* how much of the generated personal data is gone from the masked letters (each planted value checked).

Usage: .venv/bin/python bench/masking.py [--letters 200] [--seed 42] [--repeat 3] [--check].
Exit code 0 (a measurement), unless --check is given and a planted value survived masking.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
SEEDS = Path(os.environ.get("SUNLIGHT_SEEDS", "/work/shared/seeds"))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任"
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "慕容", "司徒", "皇甫", "令狐"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华平刚桂兰建国红霞玉梅志宏海波鹏飞浩宇欣怡子涵雨轩晓东春燕"
TITLES = ["警官", "队长", "所长", "民警", "师傅", "女士", "先生", "老师"]
ROADS = ["育才路", "兴安路", "巴山中路", "金州南路", "香溪路", "汉江大道", "新城街", "大桥路", "环城东路"]
ESTATES = ["阳光小区", "幸福家园", "江南花园", "金色雅苑", "滨江公寓", "学府嘉园"]
DISTRICTS = ["汉滨区江北街道", "汉滨区新城街道", "汉阴县城关镇", "石泉县城关镇", "平利县城关镇", "旬阳市城关镇"]
VILLAGES = ["东坝村", "张岭村", "双河村", "石门村", "五星村"]
CONDITIONS = ["抑郁症", "精神分裂症", "糖尿病", "高血压", "乙肝", "癌症", "二级肢体残疾", "尿毒症"]
PROVINCES = "陕京川豫鄂甘"


def log(message: str) -> None:
    """A progress line on stderr."""
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--letters", type=int, default=200, help="number of generated letters (default 200)")
    parser.add_argument("--seed", type=int, default=42, help="random seed of the generated letters")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over all letters (default 3)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a planted value survives masking")
    args = parser.parse_args(argv)
    if args.letters < 1 or args.repeat < 1:
        parser.error("--letters and --repeat must be positive")
    return args


# -- generated personal data ------------------------------------------------------------------------------------


class Planter:
    """Generated personal data, each value remembered so the masked letter can be checked for it."""

    def __init__(self, rng: random.Random) -> None:
        """Start with nothing planted."""
        self.rng = rng
        self.planted: list[tuple[str, str]] = []

    def _keep(self, kind: str, value: str, secret: str | None = None) -> str:
        self.planted.append((kind, secret if secret is not None else value))
        return value

    def name(self) -> str:
        """A full name; the given name must be gone after masking (the surname stays)."""
        rng = self.rng
        surname = rng.choice(COMPOUND) if rng.random() < 0.15 else rng.choice(SURNAMES)
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        return self._keep("name", surname + given)

    def titled(self) -> str:
        """A surname and a title (张警官); masked 某警官."""
        return self._keep("name", self.rng.choice(SURNAMES) + self.rng.choice(TITLES))

    def id_number(self) -> str:
        """A checksum-valid 18-digit ID number of Ankang."""
        from stdnum.cn import ric

        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=self.rng.randrange(30_000))
        first = f"6109{self.rng.randrange(1, 30):02d}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
        return self._keep("id_number", first + ric.calc_check_digit(first + "0"))

    def mobile(self) -> str:
        """A mobile number, sometimes grouped 3-4-4."""
        number = self.rng.choice(["138", "139", "159", "186", "187", "199"]) + f"{self.rng.randrange(10**8):08d}"
        if self.rng.random() < 0.2:
            number = f"{number[:3]}-{number[3:7]}-{number[7:]}"
        return self._keep("mobile", number)

    def landline(self) -> str:
        """An Ankang landline."""
        return self._keep("landline", f"0915-{self.rng.randrange(2, 10)}{self.rng.randrange(10**6):06d}")

    def card(self) -> str:
        """A Luhn-valid bank card, sometimes in groups of 4."""
        from stdnum import luhn

        body = self.rng.choice(["622848", "622202", "621700"]) + f"{self.rng.randrange(10**9):09d}"
        number = body + luhn.calc_check_digit(body)
        if self.rng.random() < 0.5:
            number = " ".join(number[i : i + 4] for i in range(0, 16, 4))
        return self._keep("bank_card", number)

    def plate(self) -> str:
        """A licence plate, sometimes with a middle dot."""
        plate = self.rng.choice(PROVINCES) + self.rng.choice("AGDFK")
        plate += self.rng.choice(["", "·"]) + f"{self.rng.randrange(10**5):05d}"
        return self._keep("plate", plate)

    def email(self) -> str:
        """An email address."""
        local = "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(self.rng.randrange(4, 10)))
        return self._keep("email", f"{local}{self.rng.randrange(100)}@{self.rng.choice(['163.com', 'qq.com'])}")

    def address(self) -> str:
        """A district (kept) and its detailed part (masked)."""
        rng = self.rng
        if rng.random() < 0.3:
            detail = f"{rng.choice(VILLAGES)}{rng.randrange(1, 9)}组{rng.randrange(1, 40)}号"
        else:
            detail = f"{rng.choice(ROADS)}{rng.randrange(1, 300)}号"
            if rng.random() < 0.6:
                building, unit, floor = rng.randrange(1, 20), rng.randrange(1, 6), rng.randrange(1, 30)
                detail += f"{rng.choice(ESTATES)}{building}号楼{unit}单元{floor}0{rng.randrange(1, 4)}室"
        return rng.choice(DISTRICTS) + self._keep("address", detail)

    def condition(self) -> str:
        """A health condition."""
        return self._keep("health", self.rng.choice(CONDITIONS))


TEMPLATES: list[Callable[[Planter], str]] = [
    lambda p: (
        f"尊敬的局长：您好！我叫{p.name()}，家住{p.address()}。我于2026年1月到派出所办理户口迁移，户籍民警"
        f"{p.name()}说材料齐全，至今两个月仍未办结，接电话的{p.titled()}总说还在审批。联系电话：{p.mobile()}。"
    ),
    lambda p: (
        f"反映交警{p.titled()}执法问题：2026年2月14日我驾驶{p.plate()}在巴山中路与兴安路十字路口被拦下，对方未出示"
        f"证件便要求罚款200元。我当场拨打12345反映，至今无人回复。投诉人：{p.name()}，手机{p.mobile()}。"
    ),
    lambda p: (
        f"我是{p.address()}村民{p.name()}，今年68岁，患有{p.condition()}。被冒充公检法的电话骗走38000元，已在派出所"
        f"报案。我的银行卡号是{p.card()}，户名同上。联系电话：{p.landline()}，儿子手机{p.mobile()}。"
    ),
    lambda p: (
        f"举报：有人长期聚众赌博，组织者叫{p.name()}，身份证号{p.id_number()}，经常驾驶{p.plate()}。参与人员有十多"
        "人，每场输赢上万元。我不便留名，请警方核查。"
    ),
    lambda p: (
        f"{p.name()}同志：您好！您于2026年3月2日通过局长信箱反映的问题收悉。经调查核实，民警{p.name()}在办理业务时"
        "确有告知不清的情况，现已责成当面向您说明。根据《安康市公安局信访工作规定》（安公发〔2026〕12号），处理结果"
        "已录入系统，索引号11610900016057720X/2026-000123。如有疑问，请拨打0915-3237000。"
    ),
    lambda p: (
        f"我儿子{p.name()}今年22岁，患有{p.condition()}，2026年2月20日走失。接警的{p.titled()}说会尽力查找。联系人："
        f"{p.name()}，电话：{p.mobile()}，邮箱{p.email()}。"
    ),
]


def seed_sentences() -> list[str]:
    """Sentences of the seed documents (official prose: padding with no planted data)."""
    sentences: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        for sentence in path.read_text(encoding="utf-8").replace("\n", "").split("。"):
            if 20 <= len(sentence) <= 200:
                sentences.append(sentence + "。")
    return sentences or ["公安机关依法履行职责，切实维护人民群众合法权益。"]


def build_letters(count: int, seed: int) -> tuple[list[str], list[list[tuple[str, str]]]]:
    """`count` letters of 300-5,000 characters and what was planted in each."""
    rng = random.Random(seed)
    padding = seed_sentences()
    letters, planted = [], []
    for _ in range(count):
        planter = Planter(rng)
        target = rng.choice((300, 800, 1500, 5000))
        parts: list[str] = []
        while sum(map(len, parts)) < target:
            parts.append(rng.choice(TEMPLATES)(planter))
            parts.extend(rng.choice(padding) for _ in range(rng.randrange(0, 4)))
        letters.append("\n".join(parts))
        planted.append(planter.planted)
    return letters, planted


# -- measurements -----------------------------------------------------------------------------------------------


def survivors(masked: str, planted: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The planted values still readable in a masked letter (a name counts as read when it appears whole)."""
    return [(kind, value) for kind, value in planted if value in masked]


def timed(function: Callable[[str], object], texts: list[str]) -> float:
    """Seconds to run `function` over every text once."""
    start = time.perf_counter()
    for text in texts:
        function(text)
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the summary; the exit code follows --check."""
    args = parse_args(argv)
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]
    sys.path.insert(0, str(ROOT))
    import jieba

    letters, planted = build_letters(args.letters, args.seed)
    chars = sum(map(len, letters))
    log(f"built {len(letters)} letters, {chars} characters")

    start = time.perf_counter()
    from cms.masking import mask_text
    from cms.privacy import find_personal_data

    mask_text("我叫王小明")
    first_call = time.perf_counter() - start

    ours: list[float] = []
    baseline: list[float] = []
    for round_ in range(args.repeat):
        log(f"pass {round_ + 1}/{args.repeat}")
        baseline.append(timed(find_personal_data, letters))
        ours.append(timed(mask_text, letters))
    ours_rate = chars / statistics.median(ours)
    base_rate = chars / statistics.median(baseline)

    long_letter = next((text for text in letters if len(text) >= 5000), max(letters, key=len))[:5000]
    long_ours = min(timed(mask_text, [long_letter]) for _ in range(max(5, args.repeat)))
    long_base = min(timed(find_personal_data, [long_letter]) for _ in range(max(5, args.repeat)))

    total = sum(map(len, planted))
    left = [
        item for text, items in zip(letters, planted, strict=True) for item in survivors(mask_text(text).text, items)
    ]
    by_kind: dict[str, list[int]] = {}
    for items in planted:
        for kind, _value in items:
            by_kind.setdefault(kind, [0, 0])[0] += 1
    for kind, _value in left:
        by_kind[kind][1] += 1

    print("== summary ==")
    print(f"command: {shlex.join([sys.executable, *sys.argv])}")
    print(
        f"letters: {len(letters)}  seed: {args.seed}  characters: {chars} (mean {chars // len(letters)})  "
        f"repeat: {args.repeat}"
    )
    print(
        f"python {platform.python_version()}  jieba {jieba.__version__}  cpus {os.cpu_count()}  "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"first call (jieba dictionary and part-of-speech tags loaded once): {first_call:.2f} s  info")
    print(
        f"throughput: mask_text {ours_rate:,.0f} chars/s, find_personal_data (baseline) {base_rate:,.0f} chars/s: "
        f"ratio {ours_rate / base_rate:.4f} (mask_text {base_rate / ours_rate:.0f}x slower: jieba part-of-speech "
        "tagging for names)"
    )
    print(
        f"5,000-character letter: mask_text {long_ours * 1000:.0f} ms = {long_ours / long_base:.0f}x "
        f"find_personal_data ({long_base * 1000:.1f} ms)  goal: well under 1 s  "
        f"{'PASS' if long_ours < 1 else 'MISS'}"
    )
    print(f"planted personal data gone after masking: {total - len(left)}/{total}")
    for kind, (count, survived) in sorted(by_kind.items()):
        print(f"  {kind:<10} {count - survived}/{count}")
    for kind, value in left[:10]:
        print(f"  survived: {kind} {value}")
    return 1 if args.check and left else 0


if __name__ == "__main__":
    sys.exit(main())
