package org.nabla.serving;

import java.util.ArrayList;
import java.util.List;

/**
 * A reader of protobuf's text format, enough for configuration files: fields {@code name: value} with strings
 * (single or double quotes, C escapes), numbers, identifiers (enum values, {@code true}), nested messages
 * {@code name { ... }} (the colon optional) and {@code #} comments. It knows no schema: the caller checks the fields.
 */
final class TextProto {
    /** One field of a message: its value is a String, a Long, a Double, or a nested {@link Message}. */
    record Field(String name, Object value, int line) { }

    /** The fields of one message, in file order (repeated fields appear several times). */
    record Message(List<Field> fields) {
        /** The fields called {@code name}. */
        List<Field> all(String name) { return fields.stream().filter(f -> f.name.equals(name)).toList(); }
    }

    private final String text;
    private final String source;
    private int pos;
    private int line = 1;

    private TextProto(String text, String source) {
        this.text = text;
        this.source = source;
    }

    /** Parses {@code text}; errors name {@code source} and the line. */
    static Message parse(String text, String source) {
        TextProto p = new TextProto(text, source);
        Message m = p.message(false);
        p.skipSpace();
        if (p.pos < text.length()) throw p.error("unexpected '" + text.charAt(p.pos) + "'");
        return m;
    }

    private Message message(boolean nested) {
        List<Field> fields = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= text.length()) {
                if (nested) throw error("missing '}' at the end of the file");
                return new Message(fields);
            }
            char c = text.charAt(pos);
            if (c == '}') {
                if (!nested) throw error("'}' without a matching '{'");
                pos++;
                return new Message(fields);
            }
            int at = line;
            String name = identifier();
            skipSpace();
            boolean colon = peek(':');
            if (colon) pos++;
            skipSpace();
            if (peek('{') || peek('<')) {
                char close = text.charAt(pos) == '{' ? '}' : '>';
                pos++;
                Message inner = close == '}' ? message(true) : angleMessage();
                fields.add(new Field(name, inner, at));
            } else {
                if (!colon) throw error("expected ':' or '{' after field '" + name + "'");
                fields.add(new Field(name, scalar(), at));
            }
            skipSpace();
            if (peek(',') || peek(';')) pos++;
        }
    }

    private Message angleMessage() {
        // '<' ... '>' is the old spelling of a nested message; rewrite the end marker and read it like braces.
        int end = text.indexOf('>', pos);
        if (end < 0) throw error("missing '>'");
        TextProto inner = new TextProto(text.substring(pos, end) + "}", source);
        inner.line = line;
        Message m = inner.message(true);
        line = inner.line;
        pos = end + 1;
        return m;
    }

    private Object scalar() {
        if (pos >= text.length()) throw error("missing value at the end of the file");
        char c = text.charAt(pos);
        if (c == '"' || c == '\'') {
            StringBuilder sb = new StringBuilder();
            while (peek('"') || peek('\'')) {
                sb.append(string());
                skipSpace();
            }
            return sb.toString();
        }
        String word = identifier();
        if (word.matches("[-+]?\\d+")) return Long.parseLong(word);
        if (word.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?[fF]?")) {
            return Double.parseDouble(word.replaceAll("[fF]$", ""));
        }
        return word;
    }

    private String string() {
        char quote = text.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n') throw error("unterminated string");
            char c = text.charAt(pos++);
            if (c == quote) return sb.toString();
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= text.length()) throw error("unterminated string");
            char e = text.charAt(pos++);
            sb.append(switch (e) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                case '\\', '\'', '"' -> e;
                default -> throw error("unknown escape '\\" + e + "' in a string");
            });
        }
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '+') pos++;
            else break;
        }
        if (start == pos) {
            throw error(pos < text.length() ? "unexpected '" + text.charAt(pos) + "'" : "unexpected end of the file");
        }
        return text.substring(start, pos);
    }

    private boolean peek(char c) { return pos < text.length() && text.charAt(pos) == c; }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') pos++;
            } else if (Character.isWhitespace(c)) {
                if (c == '\n') line++;
                pos++;
            } else {
                return;
            }
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(source + ":" + line + ": " + what);
    }
}
