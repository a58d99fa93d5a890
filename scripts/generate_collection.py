"""Write a deterministic synthetic collection of N valid documents in the archive's format.

    python scripts/generate_collection.py N OUT [--seed S] [--jobs J]

OUT gets `<id>.md` files in hundred-file subfolders, `authority/people.yaml` (the real authority
plus synthetic diplomats: 60 correspondents, with variants, Cyrillic forms and pseudonyms),
`authority/archives.yaml` (a copy of the real one) and a few `sets/*.yaml`. Bodies are 150-600
words drawn from a Zipf vocabulary (with recurring phrases, names and places); correspondents
are Zipf-distributed; dates are skewed to 1949-1950 (some month-only, interval, uncertain and
approximate dates); some documents carry a Cyrillic `## Original`, several archive references
in the forms footnotes use, and `replies_to` links. The same N and seed give the same bytes.

The benchmark imports `query_words()` for terms of known frequency.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from datetime import date, timedelta
from itertools import accumulate
from multiprocessing import Pool
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = 1950

FUNCTION_WORDS = (
    "the of and to in that a is was for on with as by it be at this from which his not are "
    "have has had were their an or but they he would will all its been also should our we "
    "there them than into about any these may more other such only after before under upon"
).split()
CONTENT_WORDS = (
    "government comrade comrades question situation military aid troops army question decision "
    "telegram proposal party central committee embassy ambassador minister foreign affairs "
    "korean chinese soviet american forces north south peninsula border unification war "
    "attack offensive defence division divisions regiment artillery tanks aircraft air cover "
    "navy port railway supplies ammunition weapons equipment loan credit agreement treaty "
    "negotiations talks conversation meeting visit delegation leadership politburo instruction "
    "instructions report information intelligence enemy front line command headquarters "
    "volunteers intervention assistance request reply answer opinion position view consent "
    "approval plan preparation operation counteroffensive retreat evacuation mobilisation "
    "reunification election assembly parliament people republic democratic national liberation "
    "guerrilla partisans uprising provocation incident parallel crossing landing inchon seoul "
    "pyongyang beijing moscow manchuria shenyang dandong harbin port arthur dalny andong "
    "specialists advisers instructors training officers soldiers personnel casualties losses "
    "prisoners refugees population economy industry factories grain coal electricity "
    "transport shipment delivery schedule deadline urgent secret ciphered personal immediately "
    "confirm inform transmit communicate consider believe agree disagree insist propose "
    "recommend request demand warn expect hope fear doubt consult discuss decide postpone "
    "united nations security council resolution imperialists reactionaries puppet regime "
    "syngman rhee clique capitalist socialist camp fraternal friendship alliance cooperation "
    "strategic tactical political diplomatic economic financial technical material moral "
    "support strengthen weaken threaten guarantee protect secure withdraw advance occupy "
    "liberate capture surround destroy repel repulse hold defend reinforce supply equip"
).split()
PHRASES = (
    "air cover", "military aid", "Korean comrades", "Chinese comrades", "changed international "
    "situation", "Chinese volunteers", "thirty-eighth parallel", "Central Committee", "Soviet "
    "specialists", "final decision", "Security Council", "People's Army", "Port Arthur",
    "counteroffensive plan", "armed forces", "personal message", "urgent reply", "general staff",
    "friendly consultation",
)
PHRASE_QUERIES = ("air cover", "military aid", "Korean comrades", "Chinese volunteers",
                  "final decision", "Security Council", "armed forces", "general staff",
                  "changed international situation", "Soviet specialists")
RUSSIAN_WORDS = (
    "и в не на что с по как к это товарищ товарищи правительство вопрос решение армия войска "
    "помощь корея корейский китайский советский американский граница север юг война наступление "
    "оборона дивизии артиллерия танки авиация прикрытие флот порт железная дорога снабжение "
    "боеприпасы оружие заем кредит соглашение договор переговоры беседа встреча визит "
    "делегация руководство политбюро указание доклад информация разведка противник фронт "
    "командование добровольцы вмешательство просьба ответ мнение позиция согласие план "
    "подготовка операция отступление эвакуация объединение выборы народ республика "
    "освобождение партизаны восстание провокация инцидент параллель высадка сеул пхеньян "
    "пекин москва маньчжурия специалисты советники офицеры солдаты потери пленные беженцы "
    "экономика промышленность зерно уголь срочно секретно шифром лично немедленно сообщите "
    "считаем согласны предлагаем просим ожидаем надеемся обсудить решить отложить"
).split()
SUBJECTS = (
    "Chinese intervention", "air cover", "military aid", "Korean unification", "Soviet advisers",
    "Inchon landing", "thirty-eighth parallel", "Sino-Soviet treaty", "Kim Il Sung's visit",
    "loan agreement", "evacuation", "Chinese volunteers", "UN Security Council", "armistice",
    "arms deliveries", "guerrilla war in the South", "Ongjin peninsula", "Port Arthur",
    "Korean soldiers of the PLA", "economic aid", "railway transport", "naval forces",
    "air force training", "Taiwan", "Japan", "American intervention", "counteroffensive",
    "prisoners of war", "refugees", "propaganda", "elections", "South Korean army",
    "North Korean army", "Manchuria", "Soviet troops withdrawal", "ammunition",
    "fuel supplies", "medical aid", "mobilisation", "intelligence reports",
)
TYPES = ("telegram", "cable", "letter", "report", "record-of-conversation", "directive",
         "memorandum", "note")
PLACES = ("Moscow", "Pyongyang", "Beijing", "Shenyang", "Sochi", "Seoul", "Dandong", "Harbin",
          "Port Arthur", "Vladivostok")
# Real people first (by how often the sources name them), then synthetic diplomats.
REAL_IDS = (
    "stalin", "shtykov", "mao-zedong", "kim-il-sung", "vyshinsky", "zhou-enlai", "roshchin",
    "gromyko", "molotov", "kovalev", "pak-hon-yong", "politburo", "ussr-mfa", "zakharov",
    "vasilevsky", "liu-shaoqi", "tunkin", "bulganin", "malenkov", "beria", "mikoyan",
    "kaganovich", "grigoryan", "vasilyev", "menshikov", "hong-myong-hui", "nie-rongzhen",
    "wen-shizhen", "lin-biao", "deng-zihui", "tan-zheng", "xiao-ke", "zhao-erlu",
    "soviet-leadership", "soviet-government", "ccp-cmc", "general-staff-8th",
)
SYNTHETIC = (  # (id, Latin family name, Cyrillic family name, initials, Cyrillic initials)
    ("petrov", "Petrov", "Петров", "A. I.", "А. И."), ("sokolov", "Sokolov", "Соколов", "B. N.", "Б. Н."),
    ("lebedev", "Lebedev", "Лебедев", "V. P.", "В. П."), ("kozlov", "Kozlov", "Козлов", "G. S.", "Г. С."),
    ("novikov", "Novikov", "Новиков", "D. A.", "Д. А."), ("morozov", "Morozov", "Морозов", "E. K.", "Е. К."),
    ("volkov", "Volkov", "Волков", "I. M.", "И. М."), ("pavlov", "Pavlov", "Павлов", "K. V.", "К. В."),
    ("semenov", "Semenov", "Семёнов", "L. F.", "Л. Ф."), ("golubev", "Golubev", "Голубев", "M. G.", "М. Г."),
    ("vinogradov", "Vinogradov", "Виноградов", "N. D.", "Н. Д."),
    ("bogdanov", "Bogdanov", "Богданов", "O. E.", "О. Е."),
    ("vorobyov", "Vorobyov", "Воробьёв", "P. I.", "П. И."),
    ("fedorov", "Fedorov", "Фёдоров", "R. L.", "Р. Л."),
    ("mikhailov", "Mikhailov", "Михайлов", "S. N.", "С. Н."),
    ("belyaev", "Belyaev", "Беляев", "T. O.", "Т. О."), ("tarasov", "Tarasov", "Тарасов", "F. P.", "Ф. П."),
    ("belov", "Belov", "Белов", "Kh. R.", "Х. Р."), ("komarov", "Komarov", "Комаров", "Ts. S.", "Ц. С."),
    ("orlov", "Orlov", "Орлов", "Ch. T.", "Ч. Т."), ("kiselev", "Kiselev", "Киселёв", "Sh. U.", "Ш. У."),
    ("makarov", "Makarov", "Макаров", "Yu. V.", "Ю. В."),
    ("andreev", "Andreev", "Андреев", "Ya. Z.", "Я. З."),
)
PSEUDONYMS = {"volkov": "Vostok", "orlov": "Sever"}  # cipher names, as the sources use
ARCHIVE_FORMS = (
    "AVP RF, f. 059a, op. 5a, d. {d}, p. {p}, ll. {l}-{l2}",
    "AVP RF, Fond 059a, Opis 5a, Delo {d}, Papka {p}, listy {l}-{l2}",
    "АВП РФ. Ф. 059а. Оп. 5а. Д. {d}. П. {p}. Л. {l}-{l2}.",
    "APRF, f. 45, op. 1, d. {d}, l. {l}",
    "АПРФ. Ф. 45. Оп. 1. Д. {d}. Л. {l}-{l2}.",
    "RGASPI, f. 558, op. 11, d. {d}, ll. {l:04d}",
    "TsAMO, f. 5, op. 918795, d. {d}, ll. {l}-{l2}",
    "GARF, f. 5446, op. 1, d. {d}, l. {l}; and RGANI, f. 3, op. 8, d. {p}, ll. {l}-{l2}",
)
LANGUAGES = ("ru",) * 14 + ("zh",) * 3 + ("ko",) * 2 + ("en",)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_SYLLABLES = ("ka", "lo", "mir", "ten", "vo", "zu", "rak", "pel", "si", "dor", "an", "gu", "bre",
              "tis", "mo", "nek", "ul", "fa", "yar", "chi", "pol", "de", "ska", "rin")
_CYR_SYLLABLES = ("ка", "ло", "мир", "тен", "во", "зу", "рак", "пел", "си", "дор", "ан", "гу")


def _tail_words(syllables: tuple[str, ...], count: int, seed: int) -> list[str]:
    """Pseudo-words for the long tail of the vocabulary (unique, deterministic)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    words = []
    while len(words) < count:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def _zipf(words: list[str], s: float = 1.07) -> tuple[list[str], list[float]]:
    return words, list(accumulate(1.0 / (rank ** s) for rank in range(1, len(words) + 1)))


VOCAB, VOCAB_CW = _zipf(list(dict.fromkeys(FUNCTION_WORDS + CONTENT_WORDS))
                        + _tail_words(_SYLLABLES, 40_000, SEED))
RU_VOCAB, RU_CW = _zipf(list(dict.fromkeys(RUSSIAN_WORDS)) + _tail_words(_CYR_SYLLABLES, 8_000, SEED + 1))
_CORRESPONDENT_IDS = REAL_IDS + tuple(s[0] for s in SYNTHETIC)
_CORRESPONDENT_CW = list(accumulate(1.0 / (r ** 1.1) for r in range(1, len(_CORRESPONDENT_IDS) + 1)))
_SUBJECT_CW = list(accumulate(1.0 / r for r in range(1, len(SUBJECTS) + 1)))
_TYPE_CW = list(accumulate(1.0 / (r ** 1.5) for r in range(1, len(TYPES) + 1)))


def query_words() -> dict[str, list[str]]:
    """Words of known frequency for the benchmark: common (ranks 60-110), rare (long tail)."""
    content = [w for w in VOCAB[:400] if w not in FUNCTION_WORDS]
    return {"common": content[10:60], "rare": VOCAB[25_000:25_400], "phrases": list(PHRASE_QUERIES)}


# -- the name authority ------------------------------------------------------------------------

def _people_yaml() -> str:
    real = (REPO / "documents" / "authority" / "people.yaml").read_text(encoding="utf-8")
    lines = [real.rstrip("\n"), "", "# --- Synthetic diplomats (benchmark collection) ---", ""]
    for pid, family, cyrillic, initials, cyr_initials in SYNTHETIC:
        lines += [
            f"- id: {pid}",
            f"  name: {initials} {family}",
            "  kind: person",
            f"  family: {family}",
            f"  given: {initials}",
            "  name_order: western",
            f"  native: [{cyrillic}, {cyr_initials} {cyrillic}]",
            f"  variants: [{family}, {family.upper()}, {initials.replace(' ', '')} {family}, "
            f"{family.replace('ov', 'off')}]",
        ]
        if pid in PSEUDONYMS:
            lines += ["  pseudonyms:", f"    - name: {PSEUDONYMS[pid]}",
                      "      note: Cipher name in the synthetic correspondence."]
        lines += ["  offices: [Counsellor of the Soviet Embassy]", ""]
    return "\n".join(lines)


class _Names:
    """Display name and other forms per person id (read from the real authority once)."""

    def __init__(self, people_yaml: str):
        import yaml

        self.forms: dict[str, list[str]] = {}
        self.display: dict[str, str] = {}
        self.pseudonyms: dict[str, list[str]] = {}
        for entry in yaml.safe_load(people_yaml):
            pid = entry["id"]
            self.display[pid] = entry["name"]
            self.forms[pid] = list(entry.get("native") or []) + list(entry.get("variants") or [])
            self.pseudonyms[pid] = [p["name"] for p in entry.get("pseudonyms") or []]


# -- documents -----------------------------------------------------------------------------------

def _header(seed: int, i: int) -> dict:
    """What other documents need to know of document i: id, date, sender, recipient."""
    rng = random.Random(f"{seed}-{i}-head")
    if rng.random() < 0.8:
        day = date(1949, 3, 1) + timedelta(days=rng.randrange(610))  # March 1949 - October 1950
    else:
        day = date(1945, 1, 1) + timedelta(days=rng.randrange(3300))
    kind = rng.random()
    if kind < 0.82:
        text = day.isoformat()
    elif kind < 0.90:
        text = day.isoformat()[:7]
    elif kind < 0.94:
        text = f"{day.isoformat()}/{(day + timedelta(days=rng.randint(1, 3))).isoformat()}"
    elif kind < 0.97:
        text = f"{day.isoformat()}?"
    else:
        text = f"~{day.isoformat()[:7]}"
    sender, recipient = rng.choices(_CORRESPONDENT_IDS, cum_weights=_CORRESPONDENT_CW, k=2)
    while recipient == sender:
        recipient = rng.choices(_CORRESPONDENT_IDS, cum_weights=_CORRESPONDENT_CW)[0]
    doc_id = f"{text[:10].lstrip('~').rstrip('?/')}-{sender}-to-{recipient}-{i:06d}"
    return {"id": doc_id, "date": text, "day": day, "sender": sender, "recipient": recipient}


def _sentences(rng: random.Random, words: int, names: list[str]) -> str:
    out: list[str] = []
    drawn = rng.choices(VOCAB, cum_weights=VOCAB_CW, k=words)
    i = 0
    while i < len(drawn):
        length = rng.randint(8, 22)
        sentence = drawn[i:i + length]
        i += length
        roll = rng.random()
        if roll < 0.35:
            sentence.insert(rng.randrange(len(sentence) + 1), rng.choice(PHRASES))
        elif roll < 0.55 and names:
            sentence.insert(rng.randrange(len(sentence) + 1), rng.choice(names))
        elif roll < 0.62:
            sentence.insert(rng.randrange(len(sentence) + 1), rng.choice(PLACES))
        text = " ".join(sentence)
        if rng.random() < 0.08:
            text = f'{text}, "{" ".join(rng.choices(VOCAB, cum_weights=VOCAB_CW, k=5))}"'
        out.append(text[0].upper() + text[1:] + ".")
    paragraphs, step = [], 5
    for start in range(0, len(out), step):
        paragraphs.append(" ".join(out[start:start + step]))
    return "\n\n".join(paragraphs)


def _russian(rng: random.Random, words: int, names: list[str]) -> str:
    drawn = rng.choices(RU_VOCAB, cum_weights=RU_CW, k=words)
    sentences = []
    for start in range(0, len(drawn), 12):
        part = drawn[start:start + 12]
        if names and rng.random() < 0.3:
            part.insert(0, rng.choice(names))
        text = " ".join(part)
        sentences.append(text[0].upper() + text[1:] + ".")
    return " ".join(sentences)


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _name_form(rng: random.Random, names: _Names, pid: str) -> str:
    roll = rng.random()
    if roll < 0.06 and names.pseudonyms[pid]:
        return rng.choice(names.pseudonyms[pid])
    if roll < 0.3 and names.forms[pid]:
        return rng.choice(names.forms[pid])
    return names.display[pid]


def document(seed: int, i: int, names: _Names) -> tuple[str, str]:
    """(id, file text) of document i."""
    head = _header(seed, i)
    rng = random.Random(f"{seed}-{i}-body")
    day = head["day"]
    sender, recipient = head["sender"], head["recipient"]
    doc_type = rng.choices(TYPES, cum_weights=_TYPE_CW)[0]
    subjects = list(dict.fromkeys(rng.choices(SUBJECTS, cum_weights=_SUBJECT_CW, k=rng.randint(1, 4))))
    number = f"No. {rng.randint(100, 99999)}" if rng.random() < 0.6 else None
    language = rng.choice(LANGUAGES)
    title = (f"{names.display[sender]} to {names.display[recipient]} on {subjects[0]}"
             f"{f' ({number})' if number else ''}, {day.day} {_MONTHS[day.month - 1]} {day.year}")
    fm = ["---", f"title: {_q(title)}", f"type: {doc_type}"]
    if number:
        fm.append(f"number: {_q(number)}")
    fm.append(f"date: '{head['date']}'")
    if "/" in head["date"] or "?" in head["date"] or "~" in head["date"]:
        fm.append(f"date_note: {_q('The date is inferred from the registry entry.')}")
    fm.append(f"sender: [{_q(_name_form(rng, names, sender))}]")
    if names.pseudonyms[sender] and rng.random() < 0.3:
        fm.append(f"signed_as: {_q(names.pseudonyms[sender][0])}")
    fm.append(f"recipient: [{_q(_name_form(rng, names, recipient))}]")
    if rng.random() < 0.2:
        via = rng.choices(_CORRESPONDENT_IDS, cum_weights=_CORRESPONDENT_CW)[0]
        if via not in (sender, recipient):
            fm.append(f"via: [{_q(_name_form(rng, names, via))}]")
    if rng.random() < 0.05:
        copy = rng.choice(_CORRESPONDENT_IDS)
        if copy not in (sender, recipient):
            fm.append(f"copies_to: [{_q(names.display[copy])}]")
    from_place, to_place = rng.sample(PLACES, 2)
    fm += [f"place_from: {from_place}", f"place_to: {to_place}", f"language: {language}",
           "subjects:"] + [f"  - {_q(s)}" for s in subjects]
    if rng.random() < 0.05:
        fm.append("archive_ref_status: not-found")
    else:
        fm.append("archive_refs:")
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            page = rng.randint(1, 300)
            ref = rng.choice(ARCHIVE_FORMS).format(d=rng.randint(1, 1500), p=rng.randint(1, 120),
                                                   l=page, l2=page + rng.randint(1, 4))
            fm.append(f"  - {_q(ref)}")
    fm += ["published_in:", f"  - {_q('Synthetic benchmark collection')}",
           f"source_url: https://example.org/bench/{head['id']}"]
    if i > 0 and rng.random() < 0.2:
        target = _header(seed, rng.randrange(max(0, i - 500), i))["id"]
        fm.append(f"replies_to: [{target}]")
    fm += [f"confidence: {rng.choice(('high', 'high', 'medium', 'low'))}", "---", ""]
    mentioned = [_name_form(rng, names, pid) for pid in (sender, recipient)]
    total = rng.randint(150, 600)
    summary = min(total, rng.randint(40, 100))
    original = rng.randint(60, 200) if language == "ru" and rng.random() < 0.2 else 0
    translation = max(0, total - summary - original)
    body = ["## Summary", "", _sentences(rng, summary, mentioned), ""]
    if translation:
        body += ["## Translation", "", _sentences(rng, translation, mentioned), ""]
    if original:
        cyrillic = [f for pid in (sender, recipient) for f in names.forms[pid] if not f.isascii()]
        body += ["## Original", "", _russian(rng, original, cyrillic[:2]), ""]
    return head["id"], "\n".join(fm + body)


def _sets_yaml(seed: int, n: int) -> dict[str, str]:
    rng = random.Random(f"{seed}-sets")
    out = {}
    for k, title in enumerate(("Air cover", "Military aid", "The Inchon crisis", "Chinese volunteers",
                               "Loan agreement")):
        size = min(n, rng.randint(10, 200))
        members = sorted(rng.sample(range(n), size)) if n else []
        ids = "\n".join(f"  - {_header(seed, j)['id']}" for j in members)
        out[f"bench-set-{k + 1}"] = (f"title: {_q(title)}\ndescription: >-\n  Synthetic set {k + 1}.\n"
                                     f"documents:\n{ids}\n")
    return out


def _write_range(job: tuple[int, int, int, str, str]) -> int:
    seed, start, stop, out, people = job
    names = _Names(people)
    root = Path(out)
    for i in range(start, stop):
        doc_id, text = document(seed, i, names)
        folder = root / f"{i // 1000:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"{doc_id}.md").write_text(text, encoding="utf-8")
    return stop - start


def generate(n: int, out: Path, *, seed: int = SEED, jobs: int = 2) -> None:
    """Write the collection into `out` (which is emptied first)."""
    if out.exists():
        shutil.rmtree(out)
    (out / "authority").mkdir(parents=True)
    (out / "sets").mkdir()
    people = _people_yaml()
    (out / "authority" / "people.yaml").write_text(people, encoding="utf-8")
    shutil.copy(REPO / "documents" / "authority" / "archives.yaml", out / "authority")
    for set_id, text in _sets_yaml(seed, n).items():
        (out / "sets" / f"{set_id}.yaml").write_text(text, encoding="utf-8")
    step = 2000
    chunks = [(seed, s, min(n, s + step), str(out), people) for s in range(0, n, step)]
    if jobs > 1 and len(chunks) > 1:
        with Pool(jobs) as pool:
            for _ in pool.imap_unordered(_write_range, chunks):
                pass
    else:
        for chunk in chunks:
            _write_range(chunk)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("out", type=Path, help="output folder (emptied first)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    args = parser.parse_args(argv)
    generate(args.n, args.out, seed=args.seed, jobs=args.jobs)
    print(f"wrote {args.n} documents to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
