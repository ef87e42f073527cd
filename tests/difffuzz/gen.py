#!/usr/bin/env python3
"""gen.py: random but valid filters and messages for the differential
fuzzer (tests/difffuzz/difffuzz.sh).

    python3 tests/difffuzz/gen.py OUTDIR SEED COUNT

writes COUNT case directories OUTDIR/c<SEED>-<n>/ in the layout of
tests/diff (filter, message, setup), the same for the same SEED.

Filters use the whole grammar of spec/LANGUAGE.md, but never a construct
whose behaviour spec/DIFFERENCES.md documents as different from maildrop
2.9.3; the rule that keeps each one out is marked with its number:
  A1  an unweighted message pattern is read only for its truth (`if`,
      `!`), never for its value (2.9.3 says 2);
  A2  a foreach body reads MATCH, not MATCH1..;
  A3 B5  no `exit` or `to` inside exception { };
  B22 no error trapped by exception { } while a log file is open
      (runnel writes the error's record there, tests/sh/logerrors.sh);
  A4  no :H; A6  substr counts are never negative;
  A8  no empty DEFAULT; B1  no division or fraction in a condition (the
      truth of "0.5" differs), so quotients are only echoed;
  B6  FLAGS letters valid and sorted; B8  no forwarding;
  B9  bitwise operators on non-negative literals only;
  B11 B21  messages are never empty and end with a newline;
  B24 commands are literal text, never built from variables;
  B31 no dotlock inside a dotlock of the same name;
  C   quoted-printable is valid, multiparts carry no transfer encoding,
      no CRLF line ends (maildrop keeps the CR of body lines).
Also left out because maildrop's own output is not repeatable: `time`'s
value, VERBOSE, gdbm files (their bytes), system/backtick output
interleaved with echo (buffering).
"""
import os
import random
import sys

WORDS = ["money", "hello", "free", "meeting", "Report", "urgent", "list",
         "offer", "caf\u00e9", "na\u00efve", "\u00fcber", "Stra\u00dfe",
         "test", "alpha", "beta", "x", "foo", "bar", "win", "FREE",
         "[list]", "re:", "50%", "a.b", "c+d", "$5", "e-mail", "q?"]
NAMES = ["Joe", "Ann Smith", "O'Brien", "Dr. Who", "J\u00fcrgen", "A \"B\" C"]
DOMAINS = ["example.com", "example.org", "Example.NET", "lists.example.com"]
VARS = ["A", "B", "C", "X1", "Y_2", "LONGNAME", "v", "w"]


class Gen:
    def __init__(self, rnd):
        self.r = rnd
        self.depth = 0
        self.loopvar = 0
        self.in_exception = 0
        self.in_foreach = 0
        self.dotlocks = []     # B31: the names of the dotlocks around
        self.assigned = set()
        self.logging = False

    def ch(self, seq):
        return self.r.choice(seq)

    def p(self, prob):
        return self.r.random() < prob

    # ---- values -------------------------------------------------------
    def word(self):
        return self.ch(WORDS)

    def addr(self):
        local = self.ch(["joe", "ann", "bob", "list-owner", "x.y", "Bob"])
        return "%s@%s" % (local, self.ch(DOMAINS))

    def dq_text(self):
        """Text for a "..." string: words, $VAR, ${VAR}, escapes."""
        parts = []
        for _ in range(self.r.randint(0, 4)):
            k = self.r.randint(0, 9)
            if k <= 4:
                w = self.word().replace("$", "")
                parts.append(w)
            elif k == 5 and self.assigned:
                parts.append("$" + self.ch(sorted(self.assigned)) + " ")
            elif k == 6 and self.assigned:
                parts.append("${%s}" % self.ch(sorted(self.assigned)))
            elif k == 7:
                parts.append(self.ch(["$MATCH", "${MATCH}", "$SIZE",
                                      "$LINES", "$FROM", "$RETURNCODE",
                                      "$EXITCODE", "$SANDBOX"])
                             if not self.in_foreach or self.p(0.5)
                             else "$MATCH")
            elif k == 8:
                parts.append(self.ch(["\\t", "\\\"", "\\\\", " - ", ", ",
                                      "(", ")", "<", ">", ":", "@"]))
            else:
                parts.append(" ")
        return "".join(parts)

    def string(self):
        k = self.r.randint(0, 5)
        if k == 0:
            return "'%s'" % self.word().replace("'", "")
        if k == 1 and self.assigned:
            return "$" + self.ch(sorted(self.assigned))
        if k == 2:
            return str(self.r.randint(0, 20))
        if k == 3:
            return "\"%s\" '%s'" % (self.dq_text(), self.word().replace("'", ""))
        return "\"%s\"" % self.dq_text()

    def number(self):
        return str(self.ch([0, 1, 2, 3, 5, 7, 10, 42, 100, 255, 65536]))

    # ---- patterns -----------------------------------------------------
    def regex(self, groups=True, nonempty=False):
        atoms = []
        if nonempty:	# maildrop loops for ever on empty string matches
            atoms.append(self.ch(["o", "e", "x", "a", "[a-z]", "\\w"]))
        if self.p(0.4):
            atoms.append(self.ch(["^Subject: ", "^From: ", "^To: .*",
                                  "^Content-Type: ", "^X-[a-z-]+: ", "^"]))
        for _ in range(self.r.randint(1, 3)):
            k = self.r.randint(0, 8)
            if k <= 3:
                w = self.word()
                w = "".join("\\" + c if c in ".+?$[]()*^|\\" else c
                            for c in w)
                atoms.append(w)
            elif k == 4:
                atoms.append(self.ch(["[a-z]+", "[0-9]+", "\\w+", ".",
                                      "[^ ]*", "\\s", "[A-Z]"]))
            elif k == 5 and groups:
                atoms.append("(%s)" % self.ch(["[a-z]+", "[^ ]+", ".*",
                                               "%s|%s" % (self.word().replace("$", "\\$").replace(".", "\\.").replace("+", "\\+").replace("?", "\\?").replace("[", "\\[").replace("]", "\\]"),
                                                          self.ch(["x", "foo", "bar"]))]))
            elif k == 6:
                atoms.append(self.ch(["a*", "o+", "e?", " *"]))
            elif k == 7:
                atoms.append(self.ch(["@", ":", "-", " ", "="]))
            else:
                atoms.append(".*")
        if self.p(0.15):
            atoms.append("$")
        re = "".join(atoms)
        if re.startswith(" ") or re.startswith("*"):
            re = "[ ]" + re[1:] if re.startswith(" ") else "x" + re
        return re.replace("/", "\\/")

    def opts(self, weighted):
        letters = ""
        for l in "hbDw":
            if self.p(0.3):
                letters += l
        letters = "".join(self.r.sample(letters, len(letters)))
        if weighted:
            w = self.ch(["1", "2", "0.5", "3"])
            if self.p(0.5):
                w += "," + self.ch(["1", "2", "0.5"])
            letters += "," + w
        return ":" + letters if letters else ""

    def msgpat(self, weighted=False, groups=True):
        return "/%s/%s" % (self.regex(groups), self.opts(weighted))

    def strpat(self, weighted=False, nonempty=False):
        o = ":D" if self.p(0.3) else ""
        if weighted:
            o = (o or ":") + self.ch([",1", ",2", ",1,2"])
        return "/%s/%s" % (self.regex(nonempty=weighted or nonempty), o)

    # ---- expressions --------------------------------------------------
    def cond(self, d=0):
        """An expression read for its truth."""
        k = self.r.randint(0, 9)
        if k <= 2:
            return "/%s/%s" % (self.regex(), self.opts(False))
        if k == 3:
            return "%s =~ %s" % (self.element(d + 1), self.strpat())
        if k == 4 and d < 2:
            return "(%s) %s (%s)" % (self.cond(d + 1), self.ch(["&&", "||"]),
                                     self.cond(d + 1))
        if k == 5 and d < 2:
            return "!(%s)" % self.cond(d + 1)
        if k == 6:
            return "hasaddr %s" % self.ch(["\"%s\"" % self.addr(),
                                            "\"bob@example.org\"",
                                            "\"BOB@EXAMPLE.ORG\""])
        if k == 7:
            return "lookup(%s, \"list\"%s)" % (
                self.element(d + 1), self.ch(["", ", \"D\""]))
        return self.intexpr(d + 1)

    def intexpr(self, d=0):
        """An integer-valued expression (no division: B1)."""
        k = self.r.randint(0, 8)
        if d >= 3 or k <= 1:
            return self.number()
        if k == 2:
            return "(%s %s %s)" % (self.intexpr(d + 1), self.ch(["+", "-", "*"]),
                                   self.intexpr(d + 1))
        if k == 3:
            return "(%s %s %s)" % (self.element(d + 1),
                                   self.ch(["<", "<=", ">", ">=", "==", "!=",
                                            "lt", "le", "gt", "ge", "eq", "ne"]),
                                   self.element(d + 1))
        if k == 4:
            return "length %s" % self.element(d + 1)
        if k == 5:
            return "(%s %s %s)" % (self.number(), self.ch(["|", "&"]), self.number())
        if k == 6:
            return "(%s)" % self.msgpat(weighted=True)
        if k == 7:
            return "(%s =~ %s)" % (self.element(d + 1), self.strpat(self.p(0.5)))
        return "~%s" % self.number()

    def element(self, d=0):
        """A value: strings, functions, grouped expressions."""
        k = self.r.randint(0, 12)
        if d >= 3 or k <= 3:
            return self.string()
        if k == 4:
            return "%s %s" % (self.ch(["tolower", "toupper", "escape"]),
                              self.element(d + 1))
        if k == 5:
            args = [self.element(d + 1), str(self.r.randint(0, 8))]
            if self.p(0.6):
                args.append(str(self.r.randint(0, 8)))
            return "substr(%s)" % ", ".join(args)
        if k == 6:
            return "getaddr %s" % self.ch([self.element(d + 1),
                                           "\"%s, %s <%s>\"" % (
                                               self.addr(), self.ch(NAMES),
                                               self.addr()),
                                           "$MATCH"])
        if k == 7:
            return "(%s)" % self.intexpr(d + 1)
        if k == 8:
            return "(%s %s %s)" % (self.element(d + 1),
                                   self.ch(["||", "&&"]), self.element(d + 1))
        if k == 9:
            return "!(%s)" % self.cond(d + 1)
        if k == 10:
            return "(%s)" % self.intexpr(d + 1)
        return self.string()

    # ---- statements ---------------------------------------------------
    def var(self):
        return self.ch(VARS)

    def assign(self):
        v = self.var()
        s = "%s=%s" % (v, self.element())
        self.assigned.add(v)
        return s

    def body(self, n):
        self.depth += 1
        out = []
        for _ in range(n):
            out.extend(self.stmt())
        self.depth -= 1
        return out

    def block(self, n=None):
        if n is None:
            n = self.r.randint(1, 3)
        return ["{"] + ["\t" + l for l in self.body(n)] + ["}"]

    def stmt(self):
        k = self.r.randint(0, 29)
        deep = self.depth >= 3
        if k == 27 and not deep:
            how = self.ch(["dotlock", "flock"])
            name = self.ch(["\"lk\"", "\"mbox.lock2\"", "list"])
            # B31: maildrop waits for itself; and a dotlock named after
            # the lookup list waits a minute, then breaks it as stale,
            # removing the list
            if how == "dotlock" and (name in self.dotlocks or
                                     name == "list"):
                how = "flock"
            if how == "dotlock":
                self.dotlocks.append(name)
            body = self.body(self.r.randint(1, 2))
            if how == "dotlock":
                self.dotlocks.pop()
            return ["%s %s {" % (how, name)] + \
                ["\t" + l for l in body] + ["}"]
        if k == 28:
            return ["system %s" % self.ch(["\"true\"", "\"exit 4\"",
                                           "\"touch made-by-system\"",
                                           "'echo x >/dev/null'"]),
                    "echo \"rc=$RETURNCODE\""]
        if k == 29:
            return ["include %s" % self.ch(["\"inc\"", "inc", "\"$SANDBOX/inc\""]),
                    "echo \"[$INC] [$MATCH]\""]
        if k == 23:
            # every decoded line of the header or the body, as patterns
            # see them
            return ["foreach /%s/:%s" % (self.ch([".+", "^[^:]+: .*", "[a-z]",
                                                  "^.*$"]),
                                         self.ch(["h", "b", "hb", "bD"])),
                    "{", "\techo \"d=[$MATCH]\"", "}"]
        if k == 24:
            hn = self.ch(["To", "From", "Cc", "Subject", "X-[^:]*",
                          "Content-Type", "Reply-To", "[A-Za-z-]+"])
            return ["if (/^(%s): *(.*)$/:h)" % hn, "{",
                    "\techo \"h=[$MATCH1] [$MATCH2]\"",
                    "\tA=getaddr \"$MATCH2\"",
                    "\techo \"a=[$A]\"",
                    "}"]
        if k == 25:
            return ["echo \"%s\"" % self.ch([
                "$SIZE $LINES", "$FROM", "\\101\\0102\\c", "a\\vb\\fc\\r",
                "end\\", "x\\cy"])]
        if k == 26:
            return ["echo %s" % self.ch([
                "substr(\"$MATCH\", 1, 3)", "escape \"$MATCH\"",
                "length \"$MATCH\"", "toupper \"$MATCH1\"",
                "(%s * %s)" % (self.number(), self.ch(["1e10", "99999999999", "0.1", "3"])),
                "(%s - %s)" % (self.number(), self.number()),
                "(\"%s\" + %s)" % (self.ch(["12abc", "0x1A", " 7", "1e3", "abc", "-4"]), self.number()),
                "hasaddr \"%s\"" % self.addr()])]
        if k <= 3:
            return [self.assign()]
        if k <= 6:
            return ["echo %s" % self.ch([self.element(), "\"%s\"" % self.dq_text(),
                                         "\"[$%s]\"" % self.var()])]
        if k == 7 and not deep:
            out = ["if (%s)" % self.cond()] + self.block()
            for _ in range(self.r.randint(0, 2)):
                out += ["elsif (%s)" % self.cond()] + self.block()
            if self.p(0.5):
                out += ["else"] + self.block()
            return out
        if k == 8 and not deep:
            # a single statement as the body, no braces
            return ["if (%s)" % self.cond(), "\t" + self.assign()]
        if k == 9 and not deep:
            lv = "I%d" % self.loopvar
            self.loopvar += 1
            n = self.r.randint(0, 4)
            out = ["%s=0" % lv, "while ($%s < %d)" % (lv, n), "{"]
            out += ["\t" + l for l in self.body(self.r.randint(1, 2))]
            out += ["\t%s=$%s + 1" % (lv, lv), "}"]
            return out
        if k == 10 and not deep:
            if self.p(0.5):
                head = "foreach %s" % self.msgpat(groups=False)
            else:
                head = "foreach (%s) =~ %s" % (self.element(),
                                                self.strpat(nonempty=True))
            self.in_foreach += 1
            out = [head, "{", "\techo \"m=[$MATCH]\""]
            out += ["\t" + l for l in self.body(self.r.randint(0, 1))]
            out += ["}"]
            self.in_foreach -= 1
            return out
        if k == 11 and not deep:
            self.in_exception += 1
            body = self.body(self.r.randint(1, 2))
            # B22: runnel logs a trapped error, maildrop not
            if not self.logging and self.p(0.6):
                body.append(self.ch(["include \"nofile\"",
                                     "xfilter \"exit 3\"",
                                     "A=lookup(\"x\", \"nolist\")",
                                     "to \"nodir/sub/\""]))
            self.in_exception -= 1
            return ["exception {"] + ["\t" + l for l in body] + ["}"]
        if k == 12:
            return ["/%s/%s" % (self.regex(), self.opts(False)),
                    "echo \"match=[$MATCH] 1=[$MATCH1] 2=[$MATCH2]\""]
        if k == 13:
            return ["cc %s" % self.mailbox()]
        if k == 14:
            return ["log %s" % self.ch(["\"%s\"" % self.dq_text(), self.element()])]
        if k == 15:
            return ["echo %s %s %s" % (self.number(), "/",
                                       self.ch(["1", "2", "3", "7", "0"]))]
        if k == 16:
            return ["xfilter %s" % self.ch([
                "\"sed -e 's/money/MONEY/'\"", "\"cat\"",
                "'sed -e 1i\\\\X-Added:\\ yes'",
                "\"tr a-z A-Z\""])]
        if k == 17:
            return ["V=`%s`" % self.ch(["echo hi there", "echo one; exit 3",
                                         "grep -c money", "printf 'a\\nb\\n'",
                                         "wc -l"]),
                    "echo \"bt=[$V] rc=$RETURNCODE\""]
        if k == 18:
            v = self.var()
            self.assigned.add(v)
            return ["import %s" % self.ch(["SANDBOX", "PATH", "NOSUCH", "LANG"]),
                    "unset \"%s\"" % v, "echo \"[$%s]\"" % v]
        if k == 19:
            return ["FLAGS=%s" % self.ch(["\"\"", "S", "F", "FS", "DRS", "R"]),
                    "KEYWORDS=%s" % self.ch(["\"\"", "\"$junk\"",
                                             "\"work,urgent\""])]
        if k == 20:
            return ["echo %s" % self.intexpr()]
        if k == 21:
            return ["echo \"%s\"" % "\\".join(self.ch(["a", "101", "t", "n",
                                                        "q", "c", "x41"])
                                              for _ in range(3))]
        return [self.assign()]

    def mailbox(self):
        return self.ch(["\"Maildir/\"", "Maildir", "\"mbox\"", "mbox2",
                        "\"Maildir/.Lists/\"", "\"Maildir/.Lists\"",
                        "\"|cat >> piped\"", "\"| tr a-z A-Z > piped2\"",
                        "\"$SANDBOX/mbox\""])

    def filter(self):
        self.logging = self.p(0.3)
        lines = ["# generated by tests/difffuzz/gen.py"]
        if self.logging:
            lines.append("logfile \"log\"")
        lines += self.body(self.r.randint(2, 9))
        k = self.r.randint(0, 3)
        if k == 0:
            lines += ["EXITCODE=%s" % self.ch(["0", "3", "75", "x"]), "exit"]
        elif k == 1:
            lines += ["to %s" % self.mailbox()]
        elif k == 2:
            lines += ["EXITCODE=%s" % self.ch(["0", "5"]), "to %s" % self.mailbox()]
        else:
            lines += ["DEFAULT=\"Maildir/\""]
        return "\n".join(lines) + "\n"


# ---- messages ---------------------------------------------------------
def b64(data):
    import base64
    s = base64.b64encode(data).decode()
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def qp(data):
    out, line = [], ""
    for b in data:
        c = chr(b)
        if b == 10:
            out.append(line)
            line = ""
            continue
        if b > 126 or c == "=" or (b < 32 and c != "\t"):
            t = "=%02X" % b
        else:
            t = c
        if len(line) + len(t) > 72:
            out.append(line + "=")
            line = ""
        line += t
    out.append(line)
    return "\n".join(out)


class MsgGen:
    def __init__(self, rnd):
        self.r = rnd

    def ch(self, s):
        return self.r.choice(s)

    def text(self, n=None):
        n = n or self.r.randint(1, 6)
        lines = []
        for _ in range(n):
            lines.append(" ".join(self.ch(WORDS) for _ in
                                  range(self.r.randint(0, 8))))
        return "\n".join(lines) + "\n"

    def enc_word(self, s):
        cs = self.ch(["UTF-8", "utf-8", "ISO-8859-1"])
        try:
            raw = s.encode("utf-8" if cs.lower() == "utf-8" else "iso-8859-1")
        except UnicodeEncodeError:
            cs, raw = "UTF-8", s.encode()
        if self.r.random() < 0.5:
            import base64
            return "=?%s?B?%s?=" % (cs, base64.b64encode(raw).decode())
        q = "".join(chr(b) if (48 <= b <= 57 or 65 <= b <= 90 or 97 <= b <= 122)
                    else ("_" if b == 32 else "=%02X" % b) for b in raw)
        return "=?%s?Q?%s?=" % (cs, q)

    def phrase(self):
        words = [self.ch(WORDS) for _ in range(self.r.randint(1, 4))]
        s = " ".join(words)
        k = self.r.randint(0, 3)
        if k == 0:
            return self.enc_word(s)
        if k == 1:
            return "%s %s" % (self.enc_word(words[0]), " ".join(words[1:]))
        return s.encode("ascii", "replace").decode() if k == 2 else s

    def address(self):
        local = self.ch(["joe", "ann", "bob", "list-owner", "x.y", "Bob"])
        a = "%s@%s" % (local, self.ch(DOMAINS))
        k = self.r.randint(0, 4)
        if k == 0:
            return a
        if k == 1:
            return "%s <%s>" % (self.ch(NAMES).replace("\"", ""), a)
        if k == 2:
            return "\"%s\" <%s>" % (self.ch(NAMES).replace("\"", "\\\""), a)
        if k == 3:
            return "%s (%s)" % (a, self.ch(NAMES).replace("\"", ""))
        return "%s <%s>" % (self.enc_word(self.ch(NAMES)), a)

    def headers(self):
        h = []
        if self.r.random() < 0.3:
            h.append("Return-Path: <%s>" % self.address().split("<")[-1].strip(">"))
        h.append("From: %s" % self.address())
        h.append("To: %s" % ", ".join(self.address() for _ in
                                       range(self.r.randint(1, 3))))
        if self.r.random() < 0.4:
            h.append("Cc: %s" % self.address())
        subj = self.phrase()
        if self.r.random() < 0.2:
            subj += "\n\t" + self.phrase()
        h.append("Subject: %s" % subj)
        for _ in range(self.r.randint(0, 3)):
            h.append(self.ch([
                "Subject: %s %s" % (self.enc_word(self.ch(WORDS)),
                                    self.enc_word(self.ch(WORDS))),
                "X-Enc: a%sb" % self.enc_word(self.ch(WORDS)),
                "Reply-To: %s" % self.address(),
                "To: undisclosed-recipients:;",
                "To: group: %s, %s;" % (self.address(), self.address()),
                "X-Weird-Header!: x", "X-Spaces :  two  spaces ",
                "X-Tab:\tvalue", "Content-Type: text/plain",
                "X-Bad-Enc: =?utf-8?B?not base64?=",
                "X-Bad-Enc: =?utf-8?B?M===?= =?utf-8?B?MT?=",
                "X-Unknown-Cs: =?x-unknown?Q?abc?=",
                # (a label browsers know, such as ks_c_5601-1987, is
                # resolved: DIFFERENCES.md part C, not fuzzed)
                "X-Unknown-Cs: a =?x-unknown?B?x6PH?= b",
                "X-Tag:urgent", "X-Spam-Flag: YES", "X-Empty:",
                "x-lower-case: value here", "X-Folded: first part\n\tsecond part",
                "List-Id: Debian <debian-user.lists.debian.org>",
                "Resent-To: bob@example.org", "Message-ID: <abc.%d@example.com>"
                % self.r.randint(1, 99), "Date: Mon, 1 Jan 2024 10:00:00 +0000",
                "X-Long: " + " ".join(self.ch(WORDS) for _ in range(30))]))
        return h

    def leaf(self, ctype=None):
        ctype = ctype or self.ch(["text/plain", "text/plain", "text/html",
                                  "application/octet-stream"])
        cs = self.ch(["utf-8", "UTF-8", "iso-8859-1", "us-ascii"])
        body = self.text()
        if ctype == "text/html":
            body = "<p>" + body.replace("\n", "</p>\n<p>") + "</p>\n"
        try:
            raw = body.encode("utf-8" if cs.lower() in ("utf-8",) else "iso-8859-1")
        except UnicodeEncodeError:
            cs, raw = "utf-8", body.encode()
        if cs == "us-ascii" and any(b > 127 for b in raw):
            cs = "utf-8"
            raw = body.encode()
        cte = self.ch(["7bit", "8bit", "quoted-printable", "base64", None])
        h = ["Content-Type: %s; charset=%s" % (ctype, self.ch(
            [cs, "\"%s\"" % cs]))]
        if cte == "quoted-printable":
            payload = qp(raw)
        elif cte == "base64":
            payload = b64(raw)
        else:
            if any(b > 127 for b in raw):
                cte = "8bit"
            payload = raw.decode("utf-8" if cs.lower() == "utf-8" else "iso-8859-1")
        if cte:
            h.append("Content-Transfer-Encoding: %s" % cte)
        return h, payload.rstrip("\n") + "\n", cs

    def multipart(self, depth=0):
        sub = self.ch(["mixed", "alternative", "related"])
        bnd = "b%d_%d" % (depth, self.r.randint(0, 999))
        h = ["Content-Type: multipart/%s; boundary=\"%s\"" % (sub, bnd)]
        parts = []
        for _ in range(self.r.randint(1, 3)):
            if depth < 1 and self.r.random() < 0.25:
                ph, pb = self.multipart(depth + 1)
            elif depth < 1 and self.r.random() < 0.1:
                ph = ["Content-Type: message/rfc822"]
                mh, mb, _ = self.leaf("text/plain")
                pb = "\n".join(self.headers() + ["MIME-Version: 1.0"] + mh) + \
                    "\n\n" + mb
            else:
                ph, pb, _ = self.leaf()
            parts.append("\n".join(ph) + "\n\n" + pb)
        body = ""
        if self.r.random() < 0.3:
            body += "This is a multi-part message in MIME format.\n\n"
        for p in parts:
            body += "--%s\n%s\n" % (bnd, p)
        body += "--%s--\n" % bnd
        return h, body

    def message(self):
        h = self.headers()
        k = self.r.randint(0, 3)
        if k == 0:
            body = self.text()
            if self.r.random() < 0.3:
                body += "caf=E9 =3D\n"
        elif k == 1:
            ph, body, _ = self.leaf(self.ch(["text/plain", "text/html"]))
            h += ["MIME-Version: 1.0"] + ph
        else:
            ph, body = self.multipart()
            h += [self.ch(["MIME-Version: 1.0", "Mime-Version: 1.0"])] + ph
        out = "\n".join(h) + "\n\n" + body
        if not out.endswith("\n"):
            out += "\n"
        # No CRLF messages: maildrop keeps the CR of body lines
        # (tests/diff/mime-crlf-body-cr).
        return out.encode("utf-8")


SETUP = """# runs in the sandbox
mkdir -p Maildir/cur Maildir/new Maildir/tmp
mkdir -p Maildir/.Lists/cur Maildir/.Lists/new Maildir/.Lists/tmp
printf 'money\\n# comment\\n  ^joe@\\n\\nFREE$\\n' >list
printf 'INC="included $SIZE"\\nif (/^Subject: (.*)/)\\n{\\n\\tS=$MATCH1\\n}\\n' >inc
chmod 600 inc
"""


def main():
    out, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    for i in range(count):
        rnd = random.Random("%d/%d" % (seed, i))
        d = os.path.join(out, "c%d-%d" % (seed, i))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "filter"), "w") as f:
            f.write(Gen(rnd).filter())
        with open(os.path.join(d, "message"), "wb") as f:
            f.write(MsgGen(rnd).message())
        with open(os.path.join(d, "setup"), "w") as f:
            f.write(SETUP)


if __name__ == "__main__":
    main()
