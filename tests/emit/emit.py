"""The Python emitter test program (tests/emit/python.sh, emit-python.sh).

emit.py DIR print   prints format_emit_v1() of every case, one a line
emit.py DIR send    sends every case with log_emit_v1()
emit.py DIR errors  tries every bad value with log_*() and prints the
                    exception's type and message

DIR holds barge_messages.py from barge gen-python.  The cases are those
of emit.c and Emit.java, value for value; src is "p".
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

sys.path.insert(0, sys.argv[1])
import barge_messages as bm  # noqa: E402

UTC = timezone.utc
Case = tuple[str, "str | None", "int | None", "int | None", "float | None",
             "bool | None", "int | datetime | None", "int | datetime"]


def cases() -> list[Case]:
    d = ("v", 1, 2, 0.5, True, 1764141121123, 1764141121)
    out: list[Case] = []

    def s(name: str, v: str) -> None:
        out.append((name, v) + d[1:])

    def dbl(name: str, v: float) -> None:
        out.append((name, d[0], d[1], d[2], v) + d[4:])

    s("tab", "a\tb")
    s("lf", "a\nb")
    s("cr", "a\rb")
    s("crlf", "l1\r\nl2")
    s("backslash", "a\\b")
    s("hash", "#")
    s("hash011", "x#011y")
    s("literal-N", "\\N")
    s("utf8", "h\u00e9llo \u2713 \u65e5\u672c \U0001f600")
    s("empty", "")
    s("spaces", "  lead and trail  ")
    s("mix", "\\t#011\t\\N\n\r\\\\#\\")
    out.append(("nulls", None, None, None, None, None, None, 0))
    out.append(("int-min", "", -2147483648, -9223372036854775808, 0.0,
                False, -9223372036854775808, -9223372036854775))
    out.append(("int-max", "", 2147483647, 9223372036854775807, 0.0,
                False, 9223372036854775807, 9223372036854775))
    dbl("d-tenth", 0.1)
    dbl("d-third", 1.0 / 3)
    dbl("d-tiny", -2.5e-300)
    dbl("d-huge", 1e300)
    dbl("d-max", 1.7976931348623157e308)
    dbl("d-denormal", 5e-324)
    dbl("d-negzero", -0.0)
    dbl("d-exact", 123456789.125)
    dbl("d-hundred", 100.0)
    dbl("d-1e15", 1e15)
    dbl("d-1e16", 1e16)
    dbl("d-small", 0.0001)
    dbl("d-smaller", 0.00001)
    dbl("d-int", 3)
    out.append(("ts-int", "v", 0, 0, 0.0, True, 1795673521123, 1795673521))
    out.append(("ts-datetime", "v", 0, 0, 0.0, True,
                datetime(2026, 11, 26, 7, 12, 1, 123456, tzinfo=UTC),
                datetime(2026, 11, 26, 7, 12, 1, 999999, tzinfo=UTC)))
    out.append(("ts-offset", "v", 0, 0, 0.0, True,
                datetime(2026, 11, 26, 9, 12, 1, 123000,
                         tzinfo=timezone(timedelta(hours=2))),
                datetime(2026, 11, 26, 9, 12, 1,
                         tzinfo=timezone(timedelta(hours=2)))))
    out.append(("ts-before-epoch", "v", 0, 0, 0.0, False,
                datetime(1969, 12, 31, 23, 59, 59, 999500, tzinfo=UTC),
                datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=UTC)))
    # The longest message that fits BARGE_LOG_MAX exactly.
    s("fit", "a" * 7948)
    return out


def main() -> None:
    mode = sys.argv[2]
    if mode == "errors":
        errors()
        return
    if mode == "send":
        bm.configure(tag="emit-py")
    for c in cases():
        if mode == "print":
            print(bm.format_emit_v1("p", *c))
        else:
            bm.log_emit_v1("p", *c)


def errors() -> None:
    naive = datetime(2026, 11, 26, 7, 12, 1)
    ok = ("v", "abcd", 1, 0.5, True, 7)
    tries: list[tuple[str, Callable[[], None]]] = []

    def lim(what: str, i: int, v: object) -> None:
        # Any: these values are wrong on purpose, past mypy.
        args: list[Any] = list(ok)
        args[i] = v
        tries.append((what, lambda: bm.log_limits_v1(*args)))

    def emit(what: str, i: int, v: object) -> None:
        args: list[Any] = ["p", "e", "v", 1, 2, 0.5, True, 3, 4]
        args[i] = v
        tries.append((what, lambda: bm.log_emit_v1(*args)))

    lim("null", 0, None)
    lim("type", 0, 5)
    lim("max_length", 1, "abcde")
    lim("max_length-utf8", 1, "h\u00e9\u00e9")
    lim("control", 0, "a\x01b")
    lim("del", 0, "\x7f")
    lim("escape", 0, "\x1b[0m")
    lim("surrogate", 0, "\ud800")
    lim("int32-over", 2, 2147483648)
    lim("int32-under", 2, -2147483649)
    lim("int32-bool", 2, True)
    lim("int32-float", 2, 1.5)
    lim("nan", 3, float("nan"))
    lim("inf", 3, float("inf"))
    lim("-inf", 3, float("-inf"))
    lim("inexact", 3, 2 ** 53 + 1)
    lim("huge-int", 3, 10 ** 400)
    lim("double-str", 3, "1")
    lim("bool-int", 4, 1)
    lim("int64-over", 5, 2 ** 63)
    lim("too-long", 0, "a" * 8000)
    lim("too-long-escaped", 0, "\\" * 3990)
    emit("timestamp-over", 7, 2 ** 63)
    emit("timestamp-naive", 7, naive)
    emit("timestamp-str", 7, "2026-11-26")
    emit("timestamp-null", 8, None)
    emit("timestamp-s-over", 8, 9223372036854776)
    emit("timestamp-s-under", 8, -9223372036854776)
    for what, f in tries:
        try:
            f()
        except (TypeError, ValueError) as e:
            print(f"{what}: {type(e).__name__}: {e}")
        else:
            print(f"{what}: sent")


if __name__ == "__main__":
    main()
