package org.nabla.strings;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * RE2 patterns (TensorFlow's regex ops) run on {@link java.util.regex}. The common subset reads the same; this class
 * translates RE2's spellings Java lacks ({@code (?P<name>...)}, POSIX classes such as {@code [[:alpha:]]}) and refuses
 * what RE2 refuses but Java would accept (back-references {@code \1}, look-around {@code (?=...)}, possessive and
 * atomic groups), so a pattern that works here also works in TensorFlow; {@code $} outside multi-line mode means
 * the end of the text, as in RE2. Remaining differences: {@code \C} (any byte) is not supported, {@code \s} also
 * matches the vertical tab, an empty match right after a match is replaced too (RE2's GlobalReplace skips it), and
 * matching runs on the UTF-8 text decoded to characters (malformed bytes become U+FFFD).
 */
final class Regexes {
    private Regexes() {}

    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();
    private static final Pattern MULTILINE_FLAG = Pattern.compile("\\(\\?[a-zA-Z]*m");

    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("[:alnum:]", "\\p{Alnum}"), Map.entry("[:alpha:]", "\\p{Alpha}"),
            Map.entry("[:ascii:]", "\\p{ASCII}"), Map.entry("[:blank:]", "\\p{Blank}"),
            Map.entry("[:cntrl:]", "\\p{Cntrl}"), Map.entry("[:digit:]", "\\p{Digit}"),
            Map.entry("[:graph:]", "\\p{Graph}"), Map.entry("[:lower:]", "\\p{Lower}"),
            Map.entry("[:print:]", "\\p{Print}"), Map.entry("[:punct:]", "\\p{Punct}"),
            Map.entry("[:space:]", "\\s"), Map.entry("[:upper:]", "\\p{Upper}"),
            Map.entry("[:word:]", "\\w"), Map.entry("[:xdigit:]", "\\p{XDigit}"));

    /** The compiled pattern, or an {@link IllegalArgumentException} naming the op and what RE2 would reject. */
    static Pattern compile(String op, String re2) {
        return CACHE.computeIfAbsent(re2, p -> {
            try {
                // RE2: '.' and '$' know only \n as a line end, and (?i) folds Unicode case.
                return Pattern.compile(translate(op, p), Pattern.UNIX_LINES | Pattern.UNICODE_CASE);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(op + ": invalid pattern '" + p + "': " + e.getDescription());
            }
        });
    }

    static String translate(String op, String p) {
        StringBuilder out = new StringBuilder(p.length());
        boolean multiline = MULTILINE_FLAG.matcher(p).find();
        int classDepth = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '[' && !p.startsWith("[:", i)) classDepth++;
            if (c == ']' && classDepth > 0) classDepth--;
            if (c == '$' && classDepth == 0 && !multiline) { // RE2's $ is the end of the text, Java's also before a final \n
                out.append("\\z");
                continue;
            }
            if (c == '\\' && i + 1 < p.length()) {
                char n = p.charAt(i + 1);
                if (n >= '1' && n <= '9') refuse(op, p, "back-references (\\" + n + ")");
                if (n == 'C') refuse(op, p, "\\C (any byte)");
                out.append(c).append(n);
                i++;
                continue;
            }
            if (p.startsWith("(?P<", i)) {
                out.append("(?<");
                i += 3;
                continue;
            }
            if (p.startsWith("(?=", i) || p.startsWith("(?!", i) || p.startsWith("(?<=", i)
                    || p.startsWith("(?<!", i)) {
                refuse(op, p, "look-around groups");
            }
            if (p.startsWith("(?>", i)) refuse(op, p, "atomic groups");
            if ((c == '+') && i > 0 && "*+?}".indexOf(p.charAt(i - 1)) >= 0 && (i < 2 || p.charAt(i - 2) != '\\')) {
                refuse(op, p, "possessive quantifiers");
            }
            if (c == '[' && p.startsWith("[:", i)) {
                int end = p.indexOf(":]", i);
                String cls = end < 0 ? null : POSIX.get(p.substring(i, end + 2));
                if (cls != null) {
                    out.append(cls);
                    i = end + 1;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * An RE2 rewrite string ({@code \0} to {@code \9} name groups, {@code \\} is a backslash) as a Java replacement
     * ({@code $0} to {@code $9}, other characters quoted).
     */
    static String rewrite(String op, String rewrite) {
        StringBuilder out = new StringBuilder(rewrite.length());
        for (int i = 0; i < rewrite.length(); i++) {
            char c = rewrite.charAt(i);
            if (c == '\\') {
                if (i + 1 >= rewrite.length()) {
                    throw new IllegalArgumentException(op + ": rewrite '" + rewrite + "' ends with a lone backslash");
                }
                char n = rewrite.charAt(++i);
                if (n >= '0' && n <= '9') out.append('$').append(n);
                else if (n == '\\') out.append("\\\\");
                else throw new IllegalArgumentException(op + ": rewrite '" + rewrite + "' has an invalid escape \\" + n
                        + " (RE2 knows \\0 to \\9 and \\\\)");
            } else if (c == '$') {
                out.append("\\$");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void refuse(String op, String pattern, String what) {
        throw new IllegalArgumentException(op + ": pattern '" + pattern + "' uses " + what + ", which RE2 (and so "
                + "TensorFlow) does not support");
    }
}
