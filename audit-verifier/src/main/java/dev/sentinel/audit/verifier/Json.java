package dev.sentinel.audit.verifier;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 JSON reader for one export line or one proof file: objects become
 * {@link LinkedHashMap}s, arrays {@link List}s, strings {@link String}s, {@code true}/{@code false}
 * {@link Boolean}s, {@code null} {@link #NULL}, numbers {@link Num} (their exact text). Refused:
 * duplicate keys, trailing text, nesting deeper than {@value #MAX_DEPTH}, control characters in
 * strings, lone surrogates, {@code \}{@code u} escapes of characters that need none (so one
 * value has one spelling and an edited escape is never the same value).
 */
final class Json {

    static final int MAX_DEPTH = 64;

    /** JSON null, distinct from an absent key. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A number as written. */
    record Num(String text) {
    }

    static final class Bad extends Exception {
        Bad(String message) {
            super(message);
        }
    }

    private final String text;
    private final boolean strict;
    private int at;

    private Json(String text, boolean strict) {
        this.text = text;
        this.strict = strict;
    }

    /** Strict: escapes in their one spelling (the export line and the proof file). */
    static Object parse(String text) throws Bad {
        return parse(text, true);
    }

    /**
     * {@code strict} false takes any hex case and any {@code \}{@code u} escape: for JSON inside a
     * covered string (a row's stored {@code data}), whose bytes the leaf checks as they are.
     */
    static Object parse(String text, boolean strict) throws Bad {
        Json json = new Json(text, strict);
        json.space();
        Object value = json.value(0);
        json.space();
        if (json.at != text.length()) {
            throw json.bad("trailing text");
        }
        return value;
    }

    private Object value(int depth) throws Bad {
        if (depth > MAX_DEPTH) {
            throw bad("nested deeper than " + MAX_DEPTH);
        }
        if (at >= text.length()) {
            throw bad("value expected");
        }
        char c = text.charAt(at);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", NULL);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw bad("unexpected character");
        }
    }

    private Map<String, Object> object(int depth) throws Bad {
        at++;
        Map<String, Object> map = new LinkedHashMap<>();
        space();
        if (peek() == '}') {
            at++;
            return map;
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw bad("key expected");
            }
            String key = string();
            space();
            expect(':');
            space();
            Object value = value(depth + 1);
            if (map.put(key, value) != null) {
                throw bad("duplicate key \"" + key + "\"");
            }
            space();
            char c = next();
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw bad("',' or '}' expected");
            }
        }
    }

    private List<Object> array(int depth) throws Bad {
        at++;
        List<Object> list = new ArrayList<>();
        space();
        if (peek() == ']') {
            at++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            space();
            list.add(value(depth + 1));
            space();
            char c = next();
            if (c == ']') {
                return Collections.unmodifiableList(list);
            }
            if (c != ',') {
                throw bad("',' or ']' expected");
            }
        }
    }

    private String string() throws Bad {
        at++;
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                throw bad("control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case '/' -> out.append('/');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> throw bad("bad escape");
            }
        }
        String value = out.toString();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    throw bad("lone surrogate in a string");
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw bad("lone surrogate in a string");
            }
        }
        return value;
    }

    /** {@code \}{@code uXXXX}: only for control characters and surrogates, in upper-case hex as Jackson writes it. */
    private char unicodeEscape() throws Bad {
        if (at + 4 > text.length()) {
            throw bad("short \\u escape");
        }
        String hex = text.substring(at, at + 4);
        int code = 0;
        for (int i = 0; i < 4; i++) {
            char h = hex.charAt(i);
            int digit = h >= '0' && h <= '9' ? h - '0' : h >= 'A' && h <= 'F' ? h - 'A' + 10
                    : !strict && h >= 'a' && h <= 'f' ? h - 'a' + 10 : -1;
            if (digit < 0) {
                throw bad("bad \\u escape (upper-case hex expected)");
            }
            code = code * 16 + digit;
        }
        at += 4;
        if (strict && code >= 0x20 && !Character.isSurrogate((char) code)) {
            throw bad("needless \\u escape");
        }
        return (char) code;
    }

    private Num number() throws Bad {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                at++;
            }
        } else {
            throw bad("digit expected");
        }
        if (peek() == '.') {
            at++;
            if (!isDigit(peek())) {
                throw bad("digit expected");
            }
            while (isDigit(peek())) {
                at++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            at++;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            if (!isDigit(peek())) {
                throw bad("digit expected");
            }
            while (isDigit(peek())) {
                at++;
            }
        }
        if (at - start > 100) {
            throw bad("number longer than 100 characters");
        }
        return new Num(text.substring(start, at));
    }

    private Object literal(String word, Object value) throws Bad {
        if (!text.startsWith(word, at)) {
            throw bad("unexpected word");
        }
        at += word.length();
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\uFFFF';
    }

    private char next() throws Bad {
        if (at >= text.length()) {
            throw bad("unexpected end");
        }
        return text.charAt(at++);
    }

    private void expect(char c) throws Bad {
        if (next() != c) {
            at--;
            throw bad("'" + c + "' expected");
        }
    }

    private void space() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private Bad bad(String what) {
        return new Bad(what + " at character " + (at + 1));
    }
}
