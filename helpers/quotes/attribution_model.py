"""A supervised attribution tagger beside the rules of :mod:`helpers.quotes.extraction`.

A linear-chain CRF (CRFsuite) tags every token of a paragraph as part of an attribution's content
(``B-C`` / ``I-C``), source (``B-S`` / ``I-S``), cue (``B-Q`` / ``I-Q``) or nothing (``O``). It was
trained on PolNeAR's training split (:mod:`helpers.evaluate.train_attribution`; the artefact and its sidecar
``.json`` with the training data's hash live in ``helpers/quotes/models/``). Its features are read from
the parse :mod:`helpers.quotes.extraction` already made (no second parse) and from the rules' own findings, so
the tagger learns where the rules' spans are right and where they stop too early, run on too far,
or miss an attribution altogether (no source, noun cues).

Content spans: a ``B-C`` opens one; ``I-C`` continues it, also after an interrupting source and
cue ("The plan, he said, will work": one span from "The" to "work"). The speaker is the tagged
source nearest to the content in the same sentence(s); none for an attribution without a source
("is expected to"), which keeps its kind with ``speaker = ""``.

How model and rules are combined (:func:`refine`, mode ``model_first``; chosen on the development
part of PolNeAR dev, see README "Measured against gold data"):

* a tagged span that overlaps rule spans replaces them, spanning itself and the rule span it
  shares most with (the union of the two boundaries beats either alone: the tagger often stops
  before an adverbial clause the rules keep, the rules stop before a second sentence or after an
  interrupting "he said"), with that rule span's kind, speaker and cue (the rules' speakers are
  right more often than the tagger's; when the rules found none, or only the one a floating
  quote inherits from the quote before, the tagger's — never words inside a quotation); several
  tagged spans over one rule span make one attribution, not copies of it;
* a tagged span no rule span overlaps is added when the tagger's mean marginal probability of its
  content labels is at least :data:`MIN_CONFIDENCE` and it holds a verb (or is the object of its
  cue verb: "called for an inquiry", "faulted the bank for its rules"); its kind comes from its cue (a belief when the
  cue is not a speech word, and then only with ``beliefs=True``), its speaker from the subject of
  the cue verb or else the nearest tagged source; a tagged quotation with neither continues the
  previous speaker's words, as the rules' floating quotes do;
* rule spans no tagged span overlaps are kept as they are, and so are ``NAME: words`` lines and
  embedded posts always (the rules read those layouts; the tagger was not trained on them).

``PARALLAX_ATTRIBUTION_MODEL=0`` in the environment switches the tagger off (rules only).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Sequence

#: Bumped whenever :func:`sequence_features` changes; the artefact records the version it was trained with.
FEATURE_VERSION = 3
#: Tagged spans no rule found are added when the tagger's mean marginal probability of their
#: content labels is at least this (tuned on the development part of PolNeAR dev).
MIN_CONFIDENCE = 0.65
#: ... and when they hold at least this many words (shorter ones are mostly fragments: "The plan").
MIN_WORDS = 3
MODEL_PATH = Path(__file__).with_name("models") / "attribution.crfsuite"

_QUOTE_TOKENS = {"“", "”", '"', "«", "»", "''", "``", "‘", "’"}
SPEECH_NOUNS = frozenset("""
statement statements interview interviews remarks remark speech speeches comment comments announcement
release email emails letter letters testimony tweet tweets post posts op-ed readout briefing report reports
memo message messages words claim claims note conference call transcript
""".split())


def _lexicons():
    from helpers.quotes import lexicon
    return lexicon.REPORTING_VERBS, lexicon.BELIEF_VERBS, lexicon.OBJECT_SPEECH_VERBS | lexicon.XCOMP_SPEECH_VERBS


def enabled() -> bool:
    """False when ``PARALLAX_ATTRIBUTION_MODEL`` is ``0`` / ``false`` / ``off``, or no artefact is installed."""
    if os.environ.get("PARALLAX_ATTRIBUTION_MODEL", "1").strip().lower() in {"0", "false", "off", "no"}:
        return False
    return MODEL_PATH.exists()


# --------------------------------------------------------------------------------------------
# sequences and features


def sequences(art) -> list[list[tuple]]:
    """The article's tokens as paragraphs: lists of ``(sentence, token)``; sentences with no line
    break between them form one paragraph. Whitespace tokens are left out."""
    out: list[list[tuple]] = []
    cur: list[tuple] = []
    prev_end = None
    for sent in art.sents:
        if sent.doc is None:
            continue
        if cur and prev_end is not None and "\n" in art.text[prev_end:sent.start]:
            out.append(cur)
            cur = []
        cur.extend((sent, t) for t in sent.doc if not t.is_space)
        prev_end = sent.end
    if cur:
        out.append(cur)
    return out


_TRAILING_POS = frozenset({"CCONJ", "SCONJ", "ADP", "DET", "PUNCT", "SPACE"})
_TRAILING_WORDS = frozenset({"who", "which", "that", "whom", "whose", "where", "when"})
#: Speakers that are no one: "It is imperative to note that …" is the writer's own voice.
_NO_SPEAKER = frozenset({"it", "there", "this", "that", "what", "which", "these", "those"})
_QUOTE_BEFORE = re.compile(r"\w[,.!?]?\s*(?:”|\"|''|’)")
_CUE_CLASSES = frozenset({"REP", "SPV", "BEL", "SPN", "ACC"})


def _cls(lower: str, lemma: str, pos: str, rep, bel, other) -> str:
    if lemma == "accord" or lower == "according":
        return "ACC"
    if pos in {"VERB", "AUX"}:
        if lemma in rep:
            return "REP"
        if lemma in other:
            return "SPV"
        if lemma in bel:
            return "BEL"
        return "V"
    if pos == "NOUN" and lemma in SPEECH_NOUNS:
        return "SPN"
    return pos


def _bucket(d: int) -> str:
    return "1" if d == 1 else "2" if d == 2 else "3-5" if d <= 5 else "6-10" if d <= 10 else "far"


_PERSONISH = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "you", "who"})


def _token_base(doc, rep, bel, other) -> list[tuple]:
    """Features of each non-space token of one parsed sentence that do not depend on the rules:
    ``(own feature strings, word, pos, cls, path, sentence-first)``; the attributes are read with one
    ``Doc.to_array`` call (no Token objects: they were most of the tagger's cost)."""
    from spacy.attrs import DEP, ENT_TYPE, HEAD, IS_SPACE, IS_TITLE, IS_UPPER, LEMMA, LIKE_NUM, LOWER, POS, TAG
    arr = doc.to_array([LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, HEAD, IS_TITLE, IS_UPPER, LIKE_NUM, IS_SPACE])
    strings = doc.vocab.strings
    n = len(arr)
    cols = arr.T.tolist()
    lowers = [strings[h] for h in cols[0]]
    lemmas = [strings[h].lower() for h in cols[1]]
    poss = [strings[h] for h in cols[2]]
    tags = [strings[h] for h in cols[3]]
    deps = [strings[h] for h in cols[4]]
    ents = [strings[h] if h else "-" for h in cols[5]]
    heads = [i + (h if h < 2 ** 63 else h - 2 ** 64) for i, h in enumerate(cols[6])]
    cls = [_cls(lowers[i], lemmas[i], poss[i], rep, bel, other) for i in range(n)]
    cue_at = [i for i in range(n) if cls[i] in _CUE_CLASSES]
    # the subject of each verb: an entity-like or personal one ("P"), another ("N"), none ("-")
    subj = {}
    for i in range(n):
        if deps[i] in ("nsubj", "nsubjpass") and heads[i] != i:
            subj[heads[i]] = "P" if (ents[i] in _PERSONISH or lowers[i] in _PRONOUNS) else "N"
    out = []
    for i in range(n):
        if cols[10][i]:
            continue
        k = bisect.bisect_left(cue_at, i)
        left = cue_at[k - 1] if k > 0 else -1
        k = bisect.bisect_right(cue_at, i)
        right = cue_at[k] if k < len(cue_at) else -1
        # the nearest governing cue-like word: its class, the dependency by which the token's branch
        # hangs from it, and the side the token is on ("REP|ccomp|R": inside a reported clause);
        # and the nearest governing verb of any kind, by its lemma (open-ended cues: "likened X to",
        # "is steering clear of criticizing X"), with whether that verb has a person-like subject
        path = gv = "none"
        child, h = i, heads[i]
        for _ in range(8):
            if h == child:
                break
            if gv == "none" and poss[h] in ("VERB", "AUX"):
                gv = f"{lemmas[h]}|{deps[child]}|{'R' if i > h else 'L'}|{subj.get(h, '-')}"
            if cls[h] in _CUE_CLASSES:
                path = f"{cls[h]}|{deps[child]}|{'R' if i > h else 'L'}"
                break
            child, h = h, heads[h]
        w = lowers[i]
        shape = "X" if cols[7][i] else ("XX" if cols[8][i] and len(w) > 1 else ("d" if cols[9][i] else "x"))
        feats = [f"w:{w}", f"suf:{w[-3:]}", f"pos:{poss[i]}", f"tag:{tags[i]}", f"dep:{deps[i]}", f"cls:{cls[i]}",
                 f"shape:{shape}", f"ent:{ents[i]}", f"path:{path}", f"hd:{deps[i]}|{cls[heads[i]]}",
                 f"cueL:{cls[left]}|{_bucket(i - left)}" if left >= 0 else "cueL:-",
                 f"cueR:{cls[right]}|{_bucket(right - i)}" if right >= 0 else "cueR:-",
                 f"cls|path:{cls[i]}|{path}", f"w|dep:{w}|{deps[i]}", f"gv:{gv}",
                 f"gvl:{gv.split('|', 1)[0]}",
                 f"sub:{subj.get(heads[i], '-')}|{deps[i]}"]
        if poss[i] in ("VERB", "AUX"):
            feats.append(f"vsubj:{subj.get(i, '-')}")
        if i == 0:
            feats.append("sf")
        out.append((feats, w, poss[i], cls[i], path, i == 0))
    return out


def sequence_features(art, seq: Sequence[tuple], rules: Sequence) -> list[list[str]]:
    """The features of each token of ``seq`` (see :func:`sequences`) as CRFsuite attribute strings;
    ``rules`` are the rules' findings (:class:`helpers.quotes.marks._Found`) for the whole article."""
    rep, bel, other = _lexicons()
    qspans = getattr(art, "_quote_spans", None) or []
    offs = [s.start + t.idx for s, t in seq]
    ends = [o + len(t) for o, (s, t) in zip(offs, seq)]
    n = len(seq)
    # rules: content membership, begin/end, speaker tokens
    rc = ["-"] * n
    rb = [False] * n
    re_ = [False] * n
    rs = [False] * n
    if rules and seq:
        lo, hi = offs[0], ends[-1]
        for f in rules:
            if (f.end <= lo or f.start >= hi) and not (lo <= f.speaker_start < hi):
                continue
            a = bisect.bisect_right(ends, f.start)  # first token ending after the span's start
            b = bisect.bisect_left(offs, f.end)     # tokens from a to b-1 overlap it
            if a < b:
                for i in range(a, b):
                    if rc[i] == "-":
                        rc[i] = f.kind
                rb[a] = True
                re_[b - 1] = True
            if f.speaker_start >= 0:
                for i in range(bisect.bisect_right(ends, f.speaker_start), bisect.bisect_left(offs, f.speaker_end)):
                    rs[i] = True
    base: list[tuple] = []
    seen = None
    for sent, _ in seq:
        if sent is not seen:
            base.extend(_token_base(sent.doc, rep, bel, other))
            seen = sent
    qs = [(a, e) for a, e in qspans if seq and a < ends[-1] and e > offs[0]]  # this paragraph's
    words = [b[1] for b in base]
    feats = []
    for i in range(n):
        own, w, pos, cls, path, sf = base[i]
        o = offs[i]
        f = ["bias", *own, f"rc:{rc[i]}", f"rc|path:{rc[i]}|{path}"]
        if qs and any(a <= o < e for a, e in qs):
            f.append("q")
        if seq[i][1].text in _QUOTE_TOKENS:
            f.append("qm")
        if rb[i]:
            f.append("rb")
        if re_[i]:
            f.append("re")
        if rs[i]:
            f.append("rs")
        for d in (-1, 1):
            j = i + d
            if 0 <= j < n:
                _, ow, opos, ocls, opath, osf = base[j]
                f += [f"{d}:w:{ow}", f"{d}:pos:{opos}", f"{d}:cls:{ocls}", f"{d}:rc:{rc[j]}", f"{d}:path:{opath}"]
                if osf:
                    f.append(f"{d}:sf")
            else:
                f.append(f"{d}:edge")
        for d in (-2, 2):
            j = i + d
            if 0 <= j < n:
                f += [f"{d}:w:{words[j]}", f"{d}:cls:{base[j][3]}"]
        feats.append(f)
    return feats


def gold_labels(seq: Sequence[tuple], gold: Sequence, text: str) -> list[str]:
    """Training labels from gold attributions (``helpers.evaluate.quotes.Gold``): cue over source over
    content; the first content token of each attribution is ``B-C``, its others (also after an
    interruption) ``I-C``."""
    offs = [s.start + t.idx for s, t in seq]
    ends = [o + len(t.text) for o, (s, t) in zip(offs, seq)]
    labels = ["O"] * len(seq)
    if not seq:
        return labels
    rank = {"O": 0, "C": 1, "S": 2, "Q": 3}
    lo, hi = offs[0], ends[-1]

    def put(spans, role):
        if not any(a < hi and b > lo for a, b in spans):
            return
        first = True
        for i, (o, e) in enumerate(zip(offs, ends)):
            if any(o < b and e > a for a, b in spans):
                if rank[role] > rank[labels[i][-1]]:
                    labels[i] = ("B-" if first else "I-") + role
                first = False
    for g in gold:
        put(g.content, "C")
    for g in gold:
        put(g.source, "S")
        put(g.cue_spans, "Q")
    return labels


# --------------------------------------------------------------------------------------------
# tagging and decoding


@functools.lru_cache(maxsize=2)
def _tagger(path: str):
    import pycrfsuite
    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    return tagger


def model_info(path: Path = MODEL_PATH) -> dict:
    """The artefact's sidecar (training data hash, feature version, parameters)."""
    return json.loads(path.with_suffix(".json").read_text())


def verify(path: Path = MODEL_PATH) -> bool:
    """True when the artefact's bytes match the hash its sidecar records and its feature version is
    this module's."""
    info = model_info(path)
    return (hashlib.sha256(path.read_bytes()).hexdigest() == info["model_sha256"]
            and info["feature_version"] == FEATURE_VERSION)


def _speech_triggers() -> frozenset[str]:
    rep, _, other = _lexicons()
    return frozenset(rep | other | SPEECH_NOUNS | {"according", "accord", ":"})


def tag(art, rules: Sequence, path: Path | None = None,
        speech_only: bool = False) -> list[tuple[list[tuple], list[str], list[float]]]:
    """``(sequence, labels, content confidence)`` for every paragraph of the article.

    ``speech_only``: paragraphs where no speech attribution can come out are not tagged — no rule
    span, no quotation mark, no speech word (a reporting verb, "statement", "according to"); the
    tagger reads each paragraph on its own and :func:`refine` keeps a new attribution only with such
    a cue when beliefs are not asked for, so the result is the same, at less cost."""
    tagger = _tagger(str(path or MODEL_PATH))
    triggers = _speech_triggers() if speech_only else frozenset()
    out = []
    for seq in sequences(art):
        if speech_only:
            lo, hi = seq[0][0].start + seq[0][1].idx, seq[-1][0].start + seq[-1][1].idx + len(seq[-1][1].text)
            if not (any(f.start < hi and f.end > lo for f in rules)
                    or any(t.text in _QUOTE_TOKENS or t.lower_ in triggers or t.lemma_.lower() in triggers
                           for _, t in seq)):
                continue
        labels = tagger.tag(sequence_features(art, seq, rules))
        conf = [tagger.marginal("B-C", i) + tagger.marginal("I-C", i) if lab[-1] == "C" else 0.0
                for i, lab in enumerate(labels)]
        out.append((seq, labels, conf))
    return out


def decode(art, tagged) -> list[dict]:
    """Attributions from tags: ``start, end`` (content), ``speaker_start, speaker_end`` (-1: none),
    ``cue`` (text), ``cue_lemma``, ``quoted`` (share of content tokens inside quotation marks)."""
    text = art.text
    qspans = getattr(art, "_quote_spans", None) or []
    found = []
    for seq, labels, conf in tagged:
        offs = [s.start + t.idx for s, t in seq]
        ends = [o + len(t.text) for o, (s, t) in zip(offs, seq)]
        sources: list[list[int]] = []
        cues: list[list[int]] = []
        contents: list[list[int]] = []
        cur = None
        gap_ok, gap_q, cue_before = True, False, False
        for i, lab in enumerate(labels):
            role = lab[-1]
            if role == "S":
                if lab.startswith("B") or not sources or sources[-1][-1] != i - 1:
                    sources.append([i])
                else:
                    sources[-1].append(i)
            elif role == "Q":
                if lab.startswith("B") or not cues or cues[-1][-1] != i - 1:
                    cues.append([i])
                else:
                    cues[-1].append(i)
            if role == "C":
                # a content resumes after an interrupting source and cue ("The plan, he said, will
                # work") only when no cue of its own came before it ("Blige sings …, asking …": two)
                if lab == "B-C" or cur is None or not gap_ok or (gap_q and cue_before):
                    cur = [i]
                    contents.append(cur)
                    cue_before = any(labels[j][-1] == "Q" and seq[j][0] is seq[i][0] for j in range(i))
                else:
                    cur.append(i)
                gap_ok, gap_q = True, False
            elif role in {"S", "Q"} or seq[i][1].is_punct:
                gap_q = gap_q or role == "Q"
            else:
                gap_ok = False
        for c in contents:
            # a content does not end on a conjunction, preposition, article, relative pronoun or a
            # stray mark ("… relationship' and", "… Dostum, who")
            while c and (seq[c[-1]][1].pos_ in _TRAILING_POS or seq[c[-1]][1].lower_ in _TRAILING_WORDS):
                c = c[:-1]
            if not c:
                continue
            toks = [seq[i][1] for i in c]
            words = [i for i in c if not seq[i][1].is_punct]
            if len(words) < 2:
                continue
            s, e = offs[c[0]], ends[c[-1]]
            while e > s and text[e - 1] in " ,;:—–-" :
                e -= 1
            sent_ids = {id(seq[i][0]) for i in c}

            def dist(group):
                a, b = group[0], group[-1]
                if b < c[0]:
                    return c[0] - b
                if a > c[-1]:
                    return a - c[-1]
                return 0

            near_src = [g for g in sources if id(seq[g[0]][0]) in sent_ids]
            near_cue = [g for g in cues if id(seq[g[0]][0]) in sent_ids]
            src = min(near_src, key=dist) if near_src else None
            cue = min(near_cue, key=dist) if near_cue else None
            speaker = (offs[src[0]], ends[src[-1]]) if src else (-1, -1)
            if cue is not None:
                # the subject of the tagged cue verb, found as the rules find it, over the nearest
                # tagged source (measured: the parse's subject is right more often)
                verbs = [seq[i] for i in cue if seq[i][1].pos_ in {"VERB", "AUX"}]
                if verbs:
                    sent, tok = verbs[0]
                    from helpers.quotes.extraction import _speaker_from_verb
                    sp, ss, se = _speaker_from_verb(tok, sent.start, text, (s, e))
                    if sp:
                        speaker = (ss, se)
                if speaker[0] < 0:
                    speaker = _governing_subject(seq[cue[0]], text, (s, e))
            qshare = sum(any(a <= offs[i] < b for a, b in qspans) for i in words) / len(words)
            found.append({
                "start": s, "end": e,
                "speaker_start": speaker[0], "speaker_end": speaker[1],
                "cue": " ".join(seq[i][1].text for i in cue) if cue else "",
                "cue_lemma": " ".join(seq[i][1].lemma_.lower() for i in cue) if cue else "",
                "quoted": qshare, "n_words": len(words), "tokens": toks,
                "has_verb": any(t.pos_ in {"VERB", "AUX"} for t in toks),
                "np_object": _np_object(toks, [seq[i][1] for i in cue] if cue else []),
                # a tagged cue before the content in its sentence: a content holding another
                # attribution's speaker ("Trump said Clinton claimed …") is nested in it
                "outer_cue": any(labels[j][-1] == "Q" and seq[j][0] is seq[c[0]][0] for j in range(c[0])),
                "passive_ask": any(seq[i][1].lemma_.lower() == "ask" and not any(
                    ch.dep_ in {"nsubj", "nsubjpass"} for ch in seq[i][1].children) for i in (cue or [])),
                "conf": sum(conf[i] for i in c) / len(c),
            })
    return found


#: Prepositions by which a cue verb takes what was said as a noun phrase ("called for an inquiry").
_OBJECT_PREPS = frozenset({"for", "about", "against", "on", "over"})


def _np_object(toks: list, cue: list) -> bool:
    """True when a content with no verb is what its cue verb asks, says or demands: the object of
    the cue verb ("demanded lower prices") or of its preposition "for" / "about" / "against" / "on" /
    "over" ("called for an inquiry"); not a phrase that merely hangs from the sentence ("… at the
    conclusion of his official visit", "ruled with an iron fist")."""
    verbs = {t.i for t in cue if t.pos_ in {"VERB", "AUX"}}
    if not verbs:
        return False
    ids = {t.i for t in toks}
    for t in toks:
        if t.head.i in ids or t.head is t:
            continue
        h = t.head
        if t.dep_ in {"dobj", "obj"} and h.i in verbs:
            return True
        if t.dep_ == "pobj" and h.lower_ in _OBJECT_PREPS and h.head.i in verbs:
            return True
    return False


def _governing_subject(item: tuple, text: str, content: tuple[int, int]) -> tuple[int, int]:
    """The speaker of a cue with no subject of its own: the owner of a noun cue ("his comment"),
    or the subject of the clause a participle hangs from ("She started off by emphasizing …")."""
    from helpers.quotes.extraction import _np_tokens, _resolve_relative, _span_of
    sent, tok = item
    t = tok
    for _ in range(4):
        for c in t.children:
            if c.dep_ in {"nsubj", "poss"} and c.i != tok.i:
                c = _resolve_relative(c)
                toks = [x for x in _np_tokens(c) if not (content[0] <= sent.start + x.idx < content[1])]
                if toks:
                    return _span_of(toks, sent.start)
        if t.head is t or t.dep_ in {"ccomp", "relcl", "ROOT"}:
            break
        t = t.head
    return (-1, -1)


def _kind(d: dict) -> str:
    rep, bel, other = _lexicons()
    if d["quoted"] >= 0.7:
        return "direct"
    lem = d["cue_lemma"]
    words = set(lem.split())
    if "according" in words or "accord" in words:
        return "according_to"
    if words & (rep | other | SPEECH_NOUNS) or lem == ":":
        return "indirect"
    return "belief"


#: How :func:`refine` combines the two (``PARALLAX_ATTRIBUTION_MODE`` overrides it, for measurements):
#: ``model_first`` (shipped), ``rules_first`` (rule spans as they are, tagged spans only where no rule
#: span is) or ``model_only`` (the tagger alone).
MODES = ("model_first", "rules_first", "model_only")


def refine(art, found: list, beliefs: bool, mode: str | None = None) -> list:
    """Merge the tagger's attributions with the rules' (``found``, from
    :func:`helpers.quotes.extraction._extract_article` ``(art, beliefs)``); see the module docstring. The
    tagger was trained with the rules' findings with beliefs as features; without beliefs it reads
    ``found`` as they are (measured on dev: the same figures, and no second pass of the rules).
    Returns ``found`` unchanged when the tagger is switched off (:func:`enabled`)."""
    if not enabled() or not art.text.strip():
        return found
    mode = mode or os.environ.get("PARALLAX_ATTRIBUTION_MODE") or MODES[0]
    if mode not in MODES:
        raise ValueError(f"attribution mode {mode!r}: one of {MODES}")
    tagged = decode(art, tag(art, found, speech_only=not beliefs))
    if mode == "model_first":
        return _model_first(art, found, tagged, beliefs)
    out = [] if mode == "model_only" else list(found)
    for d in tagged:
        if mode == "rules_first" and any(f.start < d["end"] and d["start"] < f.end for f in out):
            continue
        f = _new_found(art, d, beliefs)
        if f is not None:
            out.append(f)
    out.sort(key=lambda f: (f.start, f.end))
    return out


def _new_found(art, d: dict, beliefs: bool):
    """A tagged attribution no rule found, or None when it is a belief and beliefs are not asked
    for, or the tagger is not sure enough of it (:data:`MIN_CONFIDENCE`)."""
    from helpers.quotes.lexicon import _BELIEF_SKIP_SUBJECTS
    from helpers.quotes.marks import _WORD, _Found
    kind = _kind(d)
    if (kind == "belief" and not beliefs) or d["conf"] < MIN_CONFIDENCE or d["n_words"] < MIN_WORDS:
        return None
    text = art.text
    ss, se = d["speaker_start"], d["speaker_end"]
    if ss >= 0 and text[ss:se].lower() in _NO_SPEAKER:
        return None
    if not d["has_verb"] and not d["np_object"]:
        # "… at the conclusion of his official visit": a phrase, not something said or thought; the
        # content may be a noun phrase when it is what the cue verb takes, for speech ("called for
        # more information about the shooting") as for beliefs ("chastised Clinton for use of the
        # server", "worried about a lack of passion"; measured on the development part: more found
        # than wrongly added, both times)
        return None
    if kind != "direct":  # reported speech the rules did not find ends with its sentence
        sent_end = next((x.end for x in art.sents if x.start <= d["start"] < x.end), d["end"])
        if d["end"] > sent_end:
            d = dict(d, end=sent_end)
            while d["end"] > d["start"] and not text[d["end"] - 1].isalnum():
                d["end"] -= 1
    if d["passive_ask"]:
        return None  # "Asked what …, Kirby said": the question is someone else's
    if kind == "belief" and (ss < 0 or text[ss:se].lower() in _BELIEF_SKIP_SUBJECTS):
        return None  # a belief needs its holder (measured), and "I think …" is an aside, as for the rules
    return _Found(d["start"], d["end"], kind, d["cue"], text[ss:se] if ss >= 0 else "", ss, se,
                  quoted_words=len(_WORD.findall(text[d["start"]:d["end"]])) if kind == "direct" else 0)


def _model_first(art, found: list, tagged: list[dict], beliefs: bool) -> list:
    """Tagged spans first (their boundaries; kind, speaker and cue from the rule span they share
    most with, when there is one), then the rule spans no tagged span overlaps."""
    from helpers.quotes.marks import _Found
    text = art.text
    out = []
    taken: set[int] = set()
    made: dict[int, object] = {}  # rule span -> the attribution made from it
    for d in tagged:
        hits = [k for k, f in enumerate(found) if f.start < d["end"] and d["start"] < f.end]
        if hits:
            k = max(hits, key=lambda k: min(found[k].end, d["end"]) - max(found[k].start, d["start"]))
            r = found[k]
            taken.update(hits)
            if r.cue in {"posted", ":"}:
                continue
            # the union of the two: the tagger often ends a content before an adverbial clause
            # the rules keep, the rules stop where the tagger runs on (measured: better than either)
            start, end = min(d["start"], r.start), max(d["end"], r.end)
            if (start < r.start and r.speaker_start >= 0 and start <= r.speaker_start < r.start
                    and not d["outer_cue"] and not _QUOTE_BEFORE.search(text[start:r.speaker_start])):
                # its own speaker is inside a content only when the content is nested in another
                # attribution ("Trump said Clinton claimed …") or is an interrupted quotation
                # ("“A,” he said, “B.”": one attribution, as PolNeAR annotates it)
                start = r.start
            if (r.kind == "direct" and end > r.end and r.speaker_start >= r.end and r.speaker_start < end
                    and not any(found[j].start >= r.speaker_end for j in hits)):
                # nor does a content run on over its own speaker ("“…,” Rendell recalled, suggesting
                # …" or "“…” ― Name"), unless the words after the speaker are the rest of the same
                # quotation ("“A,” he said, “B.”": the rules found that part too)
                end = r.end
            if start < r.start and re.match(r"that\b", text[r.start:]):
                start = r.start  # "reported, citing X, that …": the content starts at "that"
            # what only adds quotation marks or punctuation keeps the rules' edges (marks excluded)
            if not re.search(r"\w", text[start:r.start]):
                start = r.start
            if not re.search(r"\w", text[r.end:end]):
                end = r.end
            if k in made:
                # a second tagged span over the same rule span ("said the mission will end,
                # arguing that …"): one attribution spanning both, not the same one twice
                made[k].start, made[k].end = min(made[k].start, start), max(made[k].end, end)
                continue
            f = _Found(start, end, r.kind, r.cue, r.speaker, r.speaker_start, r.speaker_end,
                       quoted_words=r.quoted_words, floating=r.floating)
            ss, se = d["speaker_start"], d["speaker_end"]
            if ((not r.speaker or r.floating) and ss >= 0 and not (start <= ss < end)
                    and text[ss:se].lower() not in _NO_SPEAKER
                    and not art.in_quotation(ss)):
                # the rules found no speaker ("“…,” Blige sings to Clinton"), or only the one of the
                # quote before (a floating quote's): the tagger's
                f.speaker, f.speaker_start, f.speaker_end, f.floating = text[ss:se], ss, se, False
                f.cue = d["cue"] if r.floating else (f.cue or d["cue"])
            if r.kind == "direct" and d["quoted"] < 0.5:
                f.kind = _kind(d) if _kind(d) != "belief" or beliefs else "indirect"
            out.append(f)
            made[k] = f
            continue
        f = _new_found(art, d, beliefs)
        if f is not None:
            out.append(f)
    out.extend(f for k, f in enumerate(found) if k not in taken or f.cue in {"posted", ":"})
    out.sort(key=lambda f: (f.start, f.end))
    # a quotation the tagger found with no source of its own continues the previous speaker's
    # words when that attribution ended at most one sentence before (as the rules' floating quotes)
    from helpers.quotes.extraction import _sent_index
    prev = None
    for f in out:
        if (not f.speaker or f.floating) and f.kind == "direct" and prev is not None:
            if _sent_index(art, f.start) - _sent_index(art, max(prev.end - 1, 0)) <= 1:
                f.speaker, f.speaker_start, f.speaker_end, f.cue = (prev.speaker, prev.speaker_start,
                                                                     prev.speaker_end, prev.cue)
        if f.speaker and f.kind != "belief":
            prev = f
    return out
