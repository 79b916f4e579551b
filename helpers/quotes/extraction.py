"""Quote extraction: :func:`extract_quotes`, one row per attribution found in the articles.

Takes ``articles`` (``text``), their ``sentences``, ``entities`` and ``embeds`` and the parsed docs
(spaCy); gives the ``quotes`` table (``QUOTE_COLUMNS``: quote, kind, speaker and its canonical
name, cue, offsets). All character offsets index into ``articles.text`` (see
``docs/data-model.md``).

How quotes are found
--------------------
1. *Direct quotes* come from scanning each paragraph for quotation marks (curly, straight, guillemets,
   and single quotes outside double ones). Straight quotes are classified as opening or closing from
   their neighbours, so mixed curly/straight text and an odd number of marks are tolerated: an
   unmatched opening mark runs to the end of its paragraph, an unmatched closing mark at most from
   the paragraph start. A closing mark where a quotation opens (after a space or at the line's
   start, before a word: ``”We …”``, typed with the wrong mark) opens one unless one is already
   open. Quotes inside quotes stay part of the outer quote.
2. The speaker and cue of a direct quote come from the dependency parse: the nearest reporting verb
   (lexicon :data:`REPORTING_VERBS`) outside the quote in the same sentence(s), and its subject
   (inherited through ``conj``). ``"…" – Name`` and ``Name: "…"`` layouts are read with patterns,
   and so are a quoted transcript paragraph (``"WALLACE: …``: the capitalised label is the speaker,
   the content starts after it) and a quotation set off below the sentence introducing it
   ("He said:" / "The Times reports:" ending the paragraph before: that sentence's reporting verb
   and its subject).
   A quote with no cue of its own whose previous quote ended at most one sentence before is a
   *floating* quote and inherits that quote's speaker.
3. *Indirect speech*: a reporting verb with a clausal complement (``ccomp``) and a subject
   ("Kirby said the US was deeply concerned"; the content runs to the end of the sentence unless
   another attribution or a quote follows), or a reporting clause after the content
   ("…, ARY NEWS reported"). Also: the object of a speech act (:data:`OBJECT_SPEECH_VERBS`:
   "criticized the deal", "called Trump “crazy”"), "called for X", infinitives of requests and
   promises ("urged Congress to act"). The subject is inherited by participles ("…, saying that …")
   and relative pronouns are resolved ("Ryan, who said …" -> Ryan).
   ``NAME: words`` lines are attributions too: transcripts ("TAPPER: …", direct) and headlines
   ("Warren: Trump Is a ‘Proven Failure’", indirect); cue ``:``.
   Attributions inside a quotation are part of it, never separate rows.
4. *According to X*: the sentence minus the "according to X" phrase is the content, X the speaker.
5. *Embedded posts* (from ``embeds``, or detected from the ``— Name (@handle) Month D, YYYY``
   signature when ``embeds`` is None) are direct quotes of their author, cue ``posted``.

6. *Beliefs and intentions* (kind ``belief``, only with ``beliefs=True``): :data:`BELIEF_VERBS` with a
   clausal complement or an infinitive ("Trump believes …", "polls show …", "she wants to …"),
   third-person subjects only ("I think" is an aside). PolNeAR annotates them; the workbook's
   quote tables leave them out by default.

Two apostrophes are read as a double quotation mark (``''We will win,''`` in NYT archive text); the
parser is given a curly mark in their place (same offsets).

When an indirect span contains a direct quote, the longer span is kept once; it is ``direct`` when
the quoted words make up most of it.
"""

from __future__ import annotations

import re

import pandas as pd

from helpers.quotes.lexicon import (
    _BELIEF_SKIP_SUBJECTS, BELIEF_VERBS, OBJECT_SPEECH_VERBS, _OTHER_SPEECH_VERBS, PRONOUNS,
    REPORTING_VERBS, SOCIAL_PATTERN, STATEMENT_PATTERN, XCOMP_BELIEF_VERBS, XCOMP_SPEECH_VERBS)
from helpers.quotes.marks import (
    _Article, _CLOSE_DOUBLE, _DASH_ATTR, _find_quote_spans, _Found, _NAME, _OPEN_DOUBLE, _prepare, _Sent,
    _Span, _STRAIGHT_DOUBLE, _WORD)
from helpers.quotes.speakers import _canonical_for
from helpers.schema import QUOTE_COLUMNS

# --------------------------------------------------------------------------------------------
# speakers and cues from the parse

_NP_DEPS = {"agent", "compound", "amod", "det", "poss", "case", "nmod", "nummod", "flat", "appos", "prep", "pobj",
            "punct", "cc", "conj", "acl", "npadvmod", "quantmod", "advmod", "neg"}


def _np_tokens(head) -> list:
    statement = bool(STATEMENT_PATTERN.search(head.text)) or bool(SOCIAL_PATTERN.search(head.text))
    keep = [head]
    stack = [head]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ not in _NP_DEPS:
                continue
            if c.dep_ == "prep" and c.lower_ not in {"of", "for", "at", "from", "in", "on", "by", "to"}:
                continue
            if c.dep_ == "acl" and not statement:
                continue
            keep.append(c)
            stack.append(c)
    keep.sort(key=lambda t: t.i)
    # contiguous block around the head
    idx = {t.i for t in keep}
    lo = hi = head.i
    while lo - 1 in idx:
        lo -= 1
    while hi + 1 in idx:
        hi += 1
    toks = [t for t in keep if lo <= t.i <= hi]
    while toks and toks[0].is_punct:
        toks.pop(0)
    while toks and (toks[-1].is_punct or toks[-1].dep_ == "cc"):
        toks.pop()
    return toks or [head]


def _is_reporting(tok) -> bool:
    if tok.pos_ not in {"VERB", "AUX"} and tok.tag_ not in {"VBD", "VBZ", "VBP", "VBN", "VBG", "VB"}:
        return False
    lemma = tok.lemma_.lower()
    if lemma == "point" and any(c.dep_ == "prt" and c.lower_ == "out" for c in tok.children):
        return True
    return lemma in REPORTING_VERBS


def _is_belief(tok) -> bool | None:
    """True for a verb of :data:`BELIEF_VERBS`, False for another verb, None for a non-verb."""
    if tok.pos_ not in {"VERB", "AUX"} and tok.tag_ not in {"VBD", "VBZ", "VBP", "VBN", "VBG", "VB"}:
        return None
    return tok.lemma_.lower() in BELIEF_VERBS


def _trim(toks: list) -> list:
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        if toks[-1].text in _CLOSE_DOUBLE + _STRAIGHT_DOUBLE + "''" and sum(
                t.text in _OPEN_DOUBLE + _STRAIGHT_DOUBLE + "''" for t in toks[:-1]) % 2 == 1:
            break  # keep the closing mark of a quote opened inside the content
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].is_space):
        toks.pop(0)
    return toks


def _object_content(tok, kind: str):
    """Content of a verb without a clausal complement: an infinitive ("wants to build a wall",
    "urged Congress to act"), "called for X", or the object of a speech act ("criticized the deal")."""
    lemma = tok.lemma_.lower()
    kids = list(tok.children)
    xverbs = XCOMP_SPEECH_VERBS if kind == "indirect" else XCOMP_BELIEF_VERBS
    if kind == "indirect" and lemma in {"call", "ask", "push", "press"}:
        for c in kids:
            if c.dep_ == "prep" and c.lower_ == "for" and c.i > tok.i:
                pobj = [g for g in c.children if g.dep_ == "pobj"]
                if pobj:
                    end = max([pobj[0].right_edge.i] + [d.right_edge.i for d in kids if d.dep_ == "xcomp" and d.i > c.i])
                    toks = _trim(list(tok.doc[pobj[0].left_edge.i:end + 1]))
                    return toks if len([t for t in toks if not t.is_punct]) >= 2 else None
    if lemma in xverbs:
        for c in kids:
            if c.dep_ == "xcomp" and c.i > tok.i and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                first = min([c.left_edge.i] + [d.left_edge.i for d in kids if d.dep_ == "dobj" and d.i < c.i])
                toks = _trim(list(tok.doc[first:c.right_edge.i + 1]))
                if len([t for t in toks if not t.is_punct]) >= 3:
                    return toks
                return None
    if kind != "indirect":
        return None
    if lemma in OBJECT_SPEECH_VERBS:
        for c in kids:
            if c.dep_ == "dobj" and c.i > tok.i:
                end = c.right_edge.i
                for d in kids:  # "called Trump a liar", "described it as …"
                    if d.i > c.i and (d.dep_ == "oprd" or (d.dep_ == "prep" and d.lower_ == "as")):
                        end = max(end, d.right_edge.i)
                if lemma == "call" and end == c.right_edge.i:
                    return None  # "called him" / "called a meeting": not speech
                toks = _trim(list(tok.doc[c.left_edge.i:end + 1]))
                if len([t for t in toks if not t.is_punct]) >= 2 and toks[0].lower_ not in PRONOUNS:
                    return toks
                return None
    return None


def _subject(tok):
    """The subject of a reporting verb (inherited from the head verb through conj/xcomp)."""
    t = tok
    for _ in range(4):
        subj = [c for c in t.children if c.dep_ in ("nsubj", "csubj")]
        if subj:
            return subj[0]
        agent = [c for c in t.children if c.dep_ == "agent"]
        if agent:
            pobj = [c for c in agent[0].children if c.dep_ == "pobj"]
            if pobj:
                return pobj[0]
        if t.dep_ == "conj" and t.head is not t:
            t = t.head
            continue
        if t.dep_ in {"advcl", "xcomp"} and t.tag_ == "VBG" and t.head is not t and t.head.i < t.i:
            t = t.head  # "…, saying that …": the subject of the main verb
            continue
        break
    return None


def _resolve_relative(subj):
    """"X, who said …": the noun the relative pronoun stands for."""
    if subj is not None and subj.lower_ in {"who", "that", "which"}:
        t = subj.head
        while t.dep_ == "conj" and t.head is not t:
            t = t.head
        if t.dep_ == "relcl" and t.head is not t:
            return t.head
    return subj


def _span_of(tokens, base: int) -> tuple[int, int]:
    return base + tokens[0].idx, base + tokens[-1].idx + len(tokens[-1].text)


def _cue_text(tok) -> str:
    parts = [tok]
    parts += [c for c in tok.children if c.dep_ in {"aux", "neg", "prt"} and c.i < tok.i + 3]
    parts.sort(key=lambda t: t.i)
    return " ".join(t.text for t in parts if t.dep_ != "aux" or t.i == tok.i or t.lower_ not in {"did", "do", "does"})


def _speaker_from_verb(verb, base: int, text: str, exclude: tuple[int, int] | None = None):
    subj = _resolve_relative(_subject(verb))
    if subj is None:
        return "", -1, -1
    toks = _np_tokens(subj)
    if exclude is not None:
        toks = [t for t in toks if not (exclude[0] <= base + t.idx < exclude[1])]
        if not toks:
            return "", -1, -1
    s, e = _span_of(toks, base)
    return text[s:e], s, e


def _indirect_from_sentence(sent: _Sent, text: str) -> list[_Found]:
    doc = sent.doc
    base = sent.start
    found: list[_Found] = []
    if doc is None:
        return found
    for tok in doc:
        # according to X
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            j = to.i + 1
            while j < len(doc) and doc[j].text not in {",", ";", "—", "–"} and not (
                    doc[j].is_punct and j == len(doc) - 1):
                j += 1
            src = [t for t in doc[to.i + 1:j] if not t.is_space]
            while src and src[-1].is_punct:
                src.pop()
            if not src:
                continue
            before = [t for t in doc[:tok.i]]
            after = [t for t in doc[j:]]
            if len([t for t in after if not t.is_punct]) >= len([t for t in before if not t.is_punct]):
                toks = after
            else:
                toks = before
            toks = _trimmed(toks)
            if len([t for t in toks if not t.is_punct]) < 2:
                continue
            cs, ce = _span_of(toks, base)
            ss, se = _span_of(src, base)
            found.append(_Found(cs, ce, "according_to", "according to", text[ss:se], ss, se))
            continue
        if _is_reporting(tok) or (_is_belief(tok) is not None and tok.lemma_.lower() in _OTHER_SPEECH_VERBS):
            kind = "indirect"
        elif _is_belief(tok):
            kind = "belief"
            subj = _subject(tok)
            if subj is None or subj.lower_ in _BELIEF_SKIP_SUBJECTS:
                continue
        else:
            continue
        lemma = tok.lemma_.lower()
        comps = [c for c in tok.children if c.dep_ == "ccomp"]
        for c in tok.children:  # "reported citing X that …", "said in a statement that …"
            if c.dep_ in {"advcl", "xcomp"} and c.lemma_.lower() in {"cite", "quote"}:
                comps += [g for g in c.children if g.dep_ == "ccomp"]
        if comps:
            comp = comps[0]
            sub = sorted(comp.subtree, key=lambda t: t.i)
            toks = [t for t in sub if t.i != tok.i]
            if toks and comp.i > tok.i and toks[0].i > tok.i:
                # PolNeAR-style content: from the complement clause to the end of the sentence
                # ("said the US was concerned, adding that …"), unless a quote starts later on
                rest = list(doc[toks[-1].i + 1:])
                if not any(t.text in _OPEN_DOUBLE + _STRAIGHT_DOUBLE or t.text == "''" or t.lower_ == "according"
                           or ((_is_reporting(t) or _is_belief(t)) and _subject(t) is not None) for t in rest):
                    toks = list(doc[toks[0].i:])
            subj = _subject(tok)
            if comp.i < tok.i and subj is not None and subj.i < tok.i:
                # content first ("…, Kirby said"): everything before the reporting clause
                toks = list(doc[:min(_np_tokens(subj)[0].i, tok.i)])
            if not toks:
                continue
            toks = _trimmed(toks)
            if len([t for t in toks if not t.is_punct]) < 3:
                continue
            cs, ce = _span_of(toks, base)
            sp, ss, se = _speaker_from_verb(tok, base, text, (cs, ce))
            if not sp:
                continue
            found.append(_Found(cs, ce, kind, _cue_text(tok), sp, ss, se))
            continue
        obj = _object_content(tok, kind)
        if obj is not None:
            cs, ce = _span_of(obj, base)
            sp, ss, se = _speaker_from_verb(tok, base, text, (cs, ce))
            if sp:
                found.append(_Found(cs, ce, kind, _cue_text(tok), sp, ss, se))
            continue
        if kind != "indirect":
            continue
        # "…, ARY NEWS reported." / "…, he said." : reporting clause after the content
        if tok.dep_ in {"parataxis", "ccomp", "advcl", "conj"} or tok.dep_ == "ROOT":
            subj = _subject(tok)
            if subj is None or subj.i < 1:
                continue
            head_clause = tok.head if tok.dep_ != "ROOT" else None
            own = sorted(tok.subtree, key=lambda t: t.i)
            clause_start = own[0].i
            if tok.dep_ == "ROOT":
                # spaCy sometimes makes the reporting verb the root and the content its left child
                lefts = [c for c in tok.lefts if c.dep_ in {"ccomp", "parataxis"}]
                if not lefts:
                    continue
            elif head_clause is None:
                continue
            elif head_clause.i > tok.i:
                # "The museum, Mr. Bush said, celebrated …": the reporting clause set off by commas
                # inside the content, which runs on both sides of it (one span over the sentence)
                interrupted = _interrupted_content(doc, tok, subj)
                if interrupted is not None:
                    cs, ce = _span_of(interrupted, base)
                    sp, ss, se = _speaker_from_verb(tok, base, text)  # inside the span, as written
                    if sp:
                        found.append(_Found(cs, ce, "indirect", _cue_text(tok), sp, ss, se))
                continue
            clause_start = min(tok.i, _np_tokens(subj)[0].i)
            if clause_start < 3:
                continue
            prefix = doc[:clause_start]
            toks = list(prefix)
            toks = _trimmed(toks)
            if len([t for t in toks if not t.is_punct]) < 3:
                continue
            # the clause after the content must be short: subject + verb (+ modifiers)
            if len([t for t in own if not t.is_punct]) > 14 and tok.dep_ != "ROOT":
                continue
            cs, ce = _span_of(toks, base)
            sp, ss, se = _speaker_from_verb(tok, base, text, (cs, ce))
            if not sp:
                continue
            found.append(_Found(cs, ce, "indirect", _cue_text(tok), sp, ss, se))
    return found


def _interrupted_content(doc, verb, subj) -> list | None:
    """The tokens of a sentence whose reported content a reporting clause interrupts, set off by
    commas ("The museum, Mr. Bush said, celebrated several of his heroes." / "Too often, she said,
    the debate is tribal."): the whole sentence, its end punctuation left out, when the clause
    (``subj`` … ``verb``, a parataxis of a later verb) has a comma right before it and right after
    it and at least two words of content on each side; else None. Not in a sentence with quotation
    marks (the direct-quote rules read those)."""
    start = _np_tokens(subj)[0].i
    if not (0 < start < verb.i and doc[start - 1].text == "," and verb.i + 1 < len(doc) and doc[verb.i + 1].text == ","):
        return None
    if any(t.text in _OPEN_DOUBLE + _CLOSE_DOUBLE + _STRAIGHT_DOUBLE or t.text in {"''", "``"} for t in doc):
        return None
    before = [t for t in doc[:start - 1] if not t.is_punct and not t.is_space]
    after = [t for t in doc[verb.i + 2:] if not t.is_punct and not t.is_space]
    if len(before) < 2 or len(after) < 2:
        return None
    return _trimmed(list(doc))


def _trimmed(toks: list) -> list:
    """``toks`` without the punctuation and spaces at either end."""
    start, end = 0, len(toks)
    while start < end and (toks[start].is_punct or toks[start].is_space):
        start += 1
    while end > start and (toks[end - 1].is_punct or toks[end - 1].is_space):
        end -= 1
    return toks[start:end]


def _sentences_overlapping(art: _Article, s: int, e: int) -> list[_Sent]:
    return [x for x in art.sents if x.start < e and x.end > s]


#: A speaker's label opening a quoted transcript paragraph ("\"WALLACE: Let's start …"): capitals only,
#: as transcripts write them (a mixed-case "Note:" or "Update:" is no speaker).
_QUOTED_LABEL = re.compile(r"(?P<name>[A-Z][A-Z.'’-]+(?:[ \t]+[A-Z][A-Z.'’-]+){0,3})[ \t]*:[ \t]+(?=\S)")


def _speaker_of_introduction(art: _Article, span: _Span):
    """A quotation set off below the words that introduce it ("He said:" / "The Times reports:" at the
    end of the paragraph before): ``(verb token, sentence)`` of that sentence's last reporting verb
    before the colon, or None."""
    text = art.text
    i = span.start
    while i > 0 and text[i - 1] in " \t“\"‘'«„":
        i -= 1
    if i == 0 or text[i - 1] != "\n":
        return None  # the quotation does not open its paragraph
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i == 0 or text[i - 1] != ":":
        return None
    colon = i - 1
    sent = art.sents[_sent_index(art, colon)] if art.sents else None
    if sent is None or sent.doc is None:
        return None
    verbs = [t for t in sent.doc if sent.start + t.idx < colon and _is_reporting(t)]
    return (verbs[-1], sent) if verbs else None


def _attribute_direct(art: _Article, span: _Span) -> _Found:
    text = art.text
    f = _Found(span.start, span.end, "direct", quoted_words=span.words)
    # "\"WALLACE: Let's start …": a transcript paragraph quoted whole; the label is its speaker
    label = _QUOTED_LABEL.match(text, span.start, span.end)
    if label and label.group("name").lower().strip(".") not in _COLON_SKIP:
        content = label.end()
        f.start, f.quoted_words = content, len(_WORD.findall(text[content:span.end]))
        f.speaker, f.speaker_start, f.speaker_end, f.cue = (label.group("name"), label.start("name"),
                                                            label.end("name"), ":")
        return f
    # "…" – Name
    close = span.end
    while close < len(text) and close < span.end + 3 and text[close] in ",.!?”\"’' ":
        close += 1
    tail = text[close:close + 120]
    m = _DASH_ATTR.match(tail)
    if m:
        nm = _NAME.match(tail[m.end():])
        if nm and nm.group(0)[:1].isupper():
            name = nm.group(0).rstrip()
            s = close + m.end()
            f.speaker, f.speaker_start, f.speaker_end, f.cue = name, s, s + len(name), ""
            return f
    # nearest reporting verb outside the quote, in the sentences the quote touches
    best = None
    for sent in _sentences_overlapping(art, span.start - 1, span.end + 1):
        if sent.doc is None:
            continue
        for tok in sent.doc:
            pos = sent.start + tok.idx
            if span.start - 1 <= pos < span.end + 1 or not _is_reporting(tok):
                continue
            if any(q[0] - 1 <= pos < q[1] + 1 for q in getattr(art, "_quote_spans", [])):
                continue
            dist = span.start - pos if pos < span.start else pos - span.end
            if best is None or dist < best[0]:
                best = (dist, tok, sent)
    if best is not None:
        dist, tok, sent = best
        sp, ss, se = _speaker_from_verb(tok, sent.start, text, (span.start - 1, span.end + 1))
        if sp and art.in_quotation(ss):
            sp = ""  # a parse that makes words of another quotation the speaker ("“My reaction, …,” X said")
        if sp and (dist <= 60 or span.words >= 4):
            f.cue, f.speaker, f.speaker_start, f.speaker_end = _cue_text(tok), sp, ss, se
            return f
    # He said:
    #
    # “…”
    intro = _speaker_of_introduction(art, span)
    if intro is not None:
        tok, sent = intro
        sp, ss, se = _speaker_from_verb(tok, sent.start, text)
        if sp:
            f.cue, f.speaker, f.speaker_start, f.speaker_end = _cue_text(tok), sp, ss, se
            return f
    # Name: “…”
    head = text[max(0, span.start - 80):span.start]
    m = re.search(r"([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s*:\s*[“\"‘']?\s*$", head)
    if m:
        s = span.start - len(head) + m.start(1)
        f.speaker, f.speaker_start, f.speaker_end = m.group(1), s, s + len(m.group(1))
        return f
    f.floating = True
    return f


_COLON_LINE = re.compile(
    r"^[ \t]*(?P<name>[A-Z][\w.'’-]*(?:[ \t]+(?:[A-Z][\w.'’-]*|of|the|de|van|von|al|bin)){0,4})[ \t]*:[ \t]+"
    r"(?P<content>\S[^\n]*?)[ \t]*$", re.M)
_COLON_SKIP = frozenset("""
note update updated editor editors photo photos image images video watch read related source sources credit
caption follow q a question answer subscribe share see listen transcript correction clarification
disclosure warning breaking live tags tag topics by published posted click sign hint ps p.s. also
""".split())


def _colon_lines(text: str) -> list[_Found]:
    """``NAME: words`` lines: interview transcripts ("TAPPER: Do you think …", direct speech) and
    headlines ("Warren: Trump Is a ‘Proven Failure’", reported speech)."""
    out = []
    for m in _COLON_LINE.finditer(text):
        name = m.group("name")
        words = name.lower().replace("’", "'").split()
        if not words or words[0].strip(".") in _COLON_SKIP or words[-1].strip(".") in _COLON_SKIP:
            continue
        if "'s" in words[-1] or re.search(r"\d", name):
            continue
        content = m.group("content")
        if len(_WORD.findall(content)) < 3:
            continue
        kind = "direct" if name.isupper() and len(name) > 1 else "indirect"
        f = _Found(m.start("content"), m.end("content"), kind, ":", name, m.start("name"), m.end("name"))
        if kind == "direct":
            f.quoted_words = len(_WORD.findall(content))
        out.append(f)
    return out


def _sent_index(art: _Article, pos: int) -> int:
    for i, s in enumerate(art.sents):
        if s.start <= pos < s.end:
            return i
    # between sentences: the previous one
    prev = [i for i, s in enumerate(art.sents) if s.start <= pos]
    return prev[-1] if prev else 0


def _extract_article(art: _Article, beliefs: bool = False) -> list[_Found]:
    text = art.text
    if not text.strip():
        return []
    embed_regions = [(e["span_start"], e["span_end"]) for e in art.embeds]

    def in_embed(s: int, e: int) -> bool:
        return any(a <= s and e <= b + 1 for a, b in embed_regions)

    spans = [sp for sp in _find_quote_spans(text) if not in_embed(sp.start, sp.end)]
    art._quote_spans = [(sp.start, sp.end) for sp in spans]  # type: ignore[attr-defined]
    direct: list[_Found] = []
    for sp in spans:
        f = _attribute_direct(art, sp)
        if sp.words < 4 and not f.speaker:
            continue  # scare quotes / titles
        if sp.words < 4 and f.floating:
            continue
        if not sp.closed and sp.words < 4:
            continue
        direct.append(f)
    indirect: list[_Found] = []
    for sent in art.sents:
        indirect.extend(_indirect_from_sentence(sent, text))
    # "WASHINGTON: …" is a dateline, not a speaker's line
    indirect.extend(f for f in _colon_lines(text) if not art.in_dateline(f.speaker_start))
    indirect = [f for f in indirect if not in_embed(f.start, f.end) and (beliefs or f.kind != "belief")]
    for f in indirect:
        if art.in_dateline(f.start) and art.dateline_end < f.end:
            f.start = art.dateline_end  # the content starts after the dateline
    # attributions inside a quotation ("“… We agreed to talk again,” Kirby said") are part of it
    indirect = [f for f in indirect if not any(d.start <= f.start and f.end <= d.end for d in direct)]
    # merge: a direct quote inside an indirect span (partial quote) -> one attribution
    kept_direct: list[_Found] = []
    for d in direct:
        host = None
        for ind in indirect:
            if ind.start <= d.end and d.start <= ind.end:
                host = ind
                break
        if host is None:
            kept_direct.append(d)
            continue
        ind_words = len(_WORD.findall(text[host.start:host.end])) or 1
        if d.quoted_words / ind_words >= 0.7 or (d.start < host.start or d.end > host.end):
            # mostly quoted: keep the quote, take the verb's speaker when it has none
            if not d.speaker or d.floating:
                d.speaker, d.speaker_start, d.speaker_end, d.cue = host.speaker, host.speaker_start, host.speaker_end, host.cue
                d.floating = False
            if host.kind == "according_to" and d.start >= host.start and d.end <= host.end:
                host.quoted_words += d.quoted_words
                continue
            host.kind = "_drop"
            kept_direct.append(d)
        else:
            host.quoted_words += d.quoted_words
    indirect = [f for f in indirect if f.kind != "_drop"]
    # drop indirect spans nested in other indirect spans with the same cue sentence (keep longest)
    indirect.sort(key=lambda f: (f.start, -(f.end - f.start)))
    dedup: list[_Found] = []
    for f in indirect:
        if any(g.start <= f.start and f.end <= g.end for g in dedup):
            continue
        dedup = [g for g in dedup if not (f.start <= g.start and g.end <= f.end)]
        dedup.append(f)
    found = kept_direct + dedup
    for e in art.embeds:
        found.append(_Found(e["start"], e["end"], "direct", "posted", e["author"],
                            e["span_start"] + max(0, text.find(e["author"], e["span_start"], e["span_end"]) - e["span_start"])
                            if e["author"] and text.find(e["author"], e["span_start"], e["span_end"]) >= 0 else -1,
                            -1, quoted_words=len(_WORD.findall(text[e["start"]:e["end"]]))))
        last = found[-1]
        if last.speaker_start >= 0:
            last.speaker_end = last.speaker_start + len(last.speaker)
    found.sort(key=lambda f: (f.start, f.end))
    # floating quotes inherit the speaker of the previous quote (at most one sentence before)
    prev: _Found | None = None
    for f in found:
        if f.floating and prev is not None and prev.speaker:
            gap = _sent_index(art, f.start) - _sent_index(art, max(prev.end - 1, 0))
            if gap <= 1:
                f.speaker, f.speaker_start, f.speaker_end = prev.speaker, prev.speaker_start, prev.speaker_end
                f.cue = prev.cue
        if f.speaker and f.kind != "belief":
            prev = f
    for f in found:  # a speaker found inside the dateline ("WASHINGTON – …") is no speaker
        if f.speaker_start >= 0 and art.in_dateline(f.speaker_start):
            f.speaker, f.speaker_start, f.speaker_end = "", -1, -1
    found = [f for f in found if f.speaker or (f.kind == "direct" and f.quoted_words >= 4)]
    return found


def extract_quotes(articles: pd.DataFrame, sentences: pd.DataFrame, *, entities: pd.DataFrame | None = None,
                   embeds: pd.DataFrame | None = None, nlp=None, beliefs: bool = False) -> pd.DataFrame:
    """Find who said what in each article.

    Inputs: ``articles`` (``article_id``, ``text``), ``sentences`` (``article_id, sent_id, start, end``;
    articles without rows are split by a simple rule), optional ``entities`` (PERSON rows with
    ``canonical`` improve speaker names; when None spaCy's NER is used), optional ``embeds``
    (``article_id, start, end, author, text``; when None, tweet signatures are detected in the text),
    optional ``nlp`` (a spaCy pipeline; default :func:`helpers.annotate.nlp.load_model`).

    Output columns (one row per attribution, in reading order per article):
    ``quote_id`` (``"{article_id}:q{n}"``), ``article_id``, ``sent_id`` (sentence holding the quote's
    start), ``start``, ``end`` (content span in ``articles.text``), ``quote`` (that text), ``kind``
    (``direct`` / ``indirect`` / ``according_to``, and ``belief`` when ``beliefs`` is True), ``speaker``
    (as written; "" when unknown),
    ``speaker_canonical``, ``speaker_start``, ``speaker_end`` (-1 when the speaker is not in the text),
    ``cue`` (reporting verb, "according to", "posted", ":", or "").
    """
    if articles is None or len(articles) == 0:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in {"sent_id", "start", "end", "speaker_start", "speaker_end"} else "object")
                             for c in QUOTE_COLUMNS})
    prepared = _prepare(articles, sentences, entities, embeds, nlp)
    rows: list[dict] = []
    for art in prepared:
        found = _extract_article(art, beliefs)
        # The attribution tagger (helpers.quotes.attribution_model) merges its spans with the
        # rules': boundaries, and attributions the rules miss. Imported here: it reads this module.
        from helpers.quotes import attribution_model
        found = attribution_model.refine(art, found, beliefs)
        canon = _canonical_for(art, found)
        for n, (f, c) in enumerate(zip(found, canon)):
            sid = art.sents[_sent_index(art, f.start)].sent_id if art.sents else 0
            rows.append({
                "quote_id": f"{art.article_id}:q{n}", "article_id": art.article_id, "sent_id": int(sid),
                "start": int(f.start), "end": int(f.end), "quote": art.text[f.start:f.end], "kind": f.kind,
                "speaker": f.speaker, "speaker_canonical": c or "", "speaker_start": int(f.speaker_start),
                "speaker_end": int(f.speaker_end), "cue": f.cue,
            })
    if not rows:
        return extract_quotes(articles.iloc[0:0], sentences)
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    for c in ("sent_id", "start", "end", "speaker_start", "speaker_end"):
        out[c] = out[c].astype("int64")
    return out
