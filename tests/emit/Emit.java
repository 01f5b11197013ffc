// The Java emitter test program (tests/emit/java.sh, emit-java.sh).
//
// java Emit print                  every case's text, one a line
// java Emit send HOST PORT FORMAT  sends every case with BargeMessages.Sender
//                                  (FORMAT: RFC5424 or RFC3164)
// java Emit errors                 every bad value, and the exception's text
// java Emit datagram               the datagrams of one text, at a fixed time
//
// The cases are those of emit.py and emit.c, value for value; src is "j".

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public final class Emit {
    private Emit() {
    }

    private static final List<String> texts = new ArrayList<>();

    private static void c(String name, String s, Integer i32, Long i64,
            Double d, Boolean b, Long ts, long tsS) {
        texts.add(BargeMessages.emitV1("j", name, s, i32, i64, d, b, ts,
            tsS));
    }

    private static void s(String name, String s) {
        c(name, s, 1, 2L, 0.5, true, 1764141121123L, 1764141121L);
    }

    private static void d(String name, double d) {
        c(name, "v", 1, 2L, d, true, 1764141121123L, 1764141121L);
    }

    private static void at(String name, boolean b, Instant ts, Instant tsS) {
        texts.add(BargeMessages.emitV1("j", name, "v", 0, 0L, 0.0, b, ts,
            tsS));
    }

    private static void cases() {
        s("tab", "a\tb");
        s("lf", "a\nb");
        s("cr", "a\rb");
        s("crlf", "l1\r\nl2");
        s("backslash", "a\\b");
        s("hash", "#");
        s("hash011", "x#011y");
        s("literal-N", "\\N");
        s("utf8", "h\u00e9llo \u2713 \u65e5\u672c \ud83d\ude00");
        s("empty", "");
        s("spaces", "  lead and trail  ");
        s("mix", "\\t#011\t\\N\n\r\\\\#\\");
        c("nulls", null, null, null, null, null, null, 0L);
        c("int-min", "", Integer.MIN_VALUE, Long.MIN_VALUE, 0.0, false,
            Long.MIN_VALUE, -9223372036854775L);
        c("int-max", "", Integer.MAX_VALUE, Long.MAX_VALUE, 0.0, false,
            Long.MAX_VALUE, 9223372036854775L);
        d("d-tenth", 0.1);
        d("d-third", 1.0 / 3);
        d("d-tiny", -2.5e-300);
        d("d-huge", 1e300);
        d("d-max", 1.7976931348623157e308);
        d("d-denormal", 5e-324);
        d("d-negzero", -0.0);
        d("d-exact", 123456789.125);
        d("d-hundred", 100.0);
        d("d-1e15", 1e15);
        d("d-1e16", 1e16);
        d("d-small", 0.0001);
        d("d-smaller", 0.00001);
        d("d-int", 3);
        c("ts-int", "v", 0, 0L, 0.0, true, 1795673521123L, 1795673521L);
        at("ts-datetime", true, Instant.parse("2026-11-26T07:12:01.123456Z"),
            Instant.parse("2026-11-26T07:12:01.999999Z"));
        at("ts-offset", true,
            OffsetDateTime.of(2026, 11, 26, 9, 12, 1, 123000000,
                ZoneOffset.ofHours(2)).toInstant(),
            OffsetDateTime.of(2026, 11, 26, 9, 12, 1, 0,
                ZoneOffset.ofHours(2)).toInstant());
        at("ts-before-epoch", false, Instant.parse("1969-12-31T23:59:59.9995Z"),
            Instant.parse("1969-12-31T23:59:59.5Z"));
        char[] fit = new char[7948];
        Arrays.fill(fit, 'a');
        s("fit", new String(fit));
    }

    private interface Try {
        void run() throws IOException;
    }

    private static void attempt(String what, Try t) throws IOException {
        try {
            t.run();
            System.out.println(what + ": accepted");
        } catch (IllegalArgumentException e) {
            System.out.println(what + ": " + e.getMessage());
        }
    }

    private static void errors() throws IOException {
        char[] big = new char[8000];
        Arrays.fill(big, 'a');
        char[] slashes = new char[3990];
        Arrays.fill(slashes, '\\');
        attempt("null", () -> BargeMessages.limitsV1(null, "abcd", 1, 0.5, true, 7L));
        attempt("max_length", () -> BargeMessages.limitsV1("v", "abcde", 1, 0.5, true, 7L));
        attempt("max_length-utf8", () -> BargeMessages.limitsV1("v", "h\u00e9\u00e9", 1, 0.5, true, 7L));
        attempt("control", () -> BargeMessages.limitsV1("a\u0001b", "abcd", 1, 0.5, true, 7L));
        attempt("del", () -> BargeMessages.limitsV1("\u007f", "abcd", 1, 0.5, true, 7L));
        attempt("escape", () -> BargeMessages.limitsV1("\u001b[0m", "abcd", 1, 0.5, true, 7L));
        attempt("surrogate", () -> BargeMessages.limitsV1("\ud800", "abcd", 1, 0.5, true, 7L));
        attempt("nan", () -> BargeMessages.limitsV1("v", "abcd", 1, Double.NaN, true, 7L));
        attempt("inf", () -> BargeMessages.limitsV1("v", "abcd", 1, Double.POSITIVE_INFINITY, true, 7L));
        attempt("-inf", () -> BargeMessages.limitsV1("v", "abcd", 1, Double.NEGATIVE_INFINITY, true, 7L));
        attempt("too-long", () -> BargeMessages.limitsV1(new String(big), "abcd", 1, 0.5, true, 7L));
        attempt("too-long-escaped", () -> BargeMessages.limitsV1(new String(slashes), "abcd", 1, 0.5, true, 7L));
        attempt("timestamp-null", () -> BargeMessages.emitV1("j", "e", "v", 1, 2L, 0.5, true, (Instant) null, (Instant) null));
        attempt("timestamp-far", () -> BargeMessages.emitV1("j", "e", "v", 1, 2L, 0.5, true, Instant.MAX, Instant.EPOCH));
        attempt("timestamp-s-over", () -> BargeMessages.emitV1("j", "e", "v", 1, 2L, 0.5, true, 3L, 9223372036854776L));
        attempt("timestamp-s-under", () -> BargeMessages.emitV1("j", "e", "v", 1, 2L, 0.5, true, 3L, -9223372036854776L));
        attempt("timestamp-s-instant", () -> BargeMessages.emitV1("j", "e", "v", 1, 2L, 0.5, true, Instant.EPOCH, Instant.MAX));
        attempt("tag", () -> new BargeMessages.Sender("127.0.0.1", 9, BargeMessages.Sender.Format.RFC5424, "a b", 1).close());
        attempt("facility", () -> new BargeMessages.Sender("127.0.0.1", 9, BargeMessages.Sender.Format.RFC5424, "emit", 24).close());
        attempt("severity", () -> {
            try (BargeMessages.Sender s = new BargeMessages.Sender()) {
                s.send(8, "@Limits:1");
            }
        });
    }

    private static void datagram() throws IOException {
        Instant when = Instant.parse("2026-11-26T07:12:01.123Z");
        for (BargeMessages.Sender.Format f : BargeMessages.Sender.Format.values()) {
            try (BargeMessages.Sender s = new BargeMessages.Sender("127.0.0.1", 9, f, "emit-java", 16)) {
                System.out.println(s.datagram(6, "@Emit:1\tx", when));
                System.out.println(s.datagram(3, "@Emit:1\tx", when));
            }
        }
    }

    public static void main(String[] args) throws IOException {
        switch (args[0]) {
        case "errors":
            errors();
            return;
        case "datagram":
            datagram();
            return;
        default:
            break;
        }
        cases();
        if (args[0].equals("print")) {
            for (String t : texts)
                System.out.println(t);
            return;
        }
        try (BargeMessages.Sender s = new BargeMessages.Sender(args[1],
                Integer.parseInt(args[2]),
                BargeMessages.Sender.Format.valueOf(args[3]), "emit-java",
                BargeMessages.Sender.USER)) {
            for (String t : texts)
                s.send(t);
        }
    }
}
