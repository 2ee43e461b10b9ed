package org.nabla.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Splits one java block into its top-level items (a statement, a declaration: everything up to a {@code ;} or
 * {@code }} that closes all brackets) and sorts them: imports to the unit's imports, type and method declarations (and
 * fields with a modifier) to the class body, the rest, in order, to the method body. A {@code package} line is dropped,
 * so a block may be a whole source file.
 */
final class Snippet {
    private Snippet() {}

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;\\s*(//.*)?$");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+[\\w.]+\\s*;\\s*(//.*)?$");
    private static final Pattern ANNOTATION = Pattern.compile("^@[A-Za-z_][\\w.]*(\\([^)]*\\))?\\s*");
    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "^((public|protected|private|static|abstract|final|sealed|non-sealed|strictfp)\\s+)*"
                    + "(class|interface|enum|record|@interface)\\s+[A-Za-z_].*", Pattern.DOTALL);
    private static final Pattern METHOD_DECLARATION = Pattern.compile(
            "^((public|protected|private|static|abstract|final|synchronized|native|default|strictfp)\\s+)*"
                    + "(<[^>]*>\\s+)?[A-Za-z_][\\w.]*(<[^=;()]*>)?(\\[\\])*\\s+[A-Za-z_]\\w*\\s*\\(.*", Pattern.DOTALL);
    private static final Pattern MEMBER_MODIFIER = Pattern.compile(
            "^(public|protected|private|static)\\s.*", Pattern.DOTALL);
    /** Words that can start a statement looking like {@code Type name(...)}. */
    private static final Set<String> STATEMENT_WORDS = Set.of(
            "return", "new", "throw", "else", "yield", "assert", "case", "do", "var");

    /** Adds the lines of {@code block} to the unit's imports, class members or method body. */
    static void split(DocSnippets.Block block, DocSnippets.Source imports, DocSnippets.Source members,
                      DocSnippets.Source body) {
        List<String> code = block.code();
        int depth = 0;
        List<Integer> item = new ArrayList<>();   // indices of the lines of the current item
        boolean itemHasCode = false;              // false while the item holds only blank and comment lines
        for (int k = 0; k < code.size(); k++) {
            String line = code.get(k);
            if (!itemHasCode && IMPORT.matcher(line.strip()).matches()) {
                imports.add(line.strip(), lineOf(block, k));
                continue;
            }
            if (!itemHasCode && PACKAGE.matcher(line.strip()).matches()) continue;   // generated units have none
            item.add(k);
            Scan s = scan(line, depth);
            depth = s.depth;
            itemHasCode |= s.last != 0;
            if (depth <= 0 && (s.last == ';' || s.last == '}')) {
                emit(block, item, members, body);
                item.clear();
                itemHasCode = false;
                depth = 0;
            }
        }
        if (!item.isEmpty()) emit(block, item, members, body);   // unfinished: let javac say what is missing
    }

    private static int lineOf(DocSnippets.Block block, int index) { return block.line() + 1 + index; }

    private static void emit(DocSnippets.Block block, List<Integer> item, DocSnippets.Source members,
                             DocSnippets.Source body) {
        StringBuilder text = new StringBuilder();
        for (int k : item) text.append(block.code().get(k)).append('\n');
        DocSnippets.Source target = isMember(text.toString()) ? members : body;
        for (int k : item) target.add(block.code().get(k), lineOf(block, k));
    }

    /** Whether an item is a class member: a type or method declaration, or a field with a member modifier. */
    static boolean isMember(String item) {
        String s = stripComments(item).strip();
        while (true) {
            var a = ANNOTATION.matcher(s);
            if (!a.lookingAt() || s.startsWith("@interface")) break;
            s = s.substring(a.end()).strip();
        }
        if (s.isEmpty()) return false;
        if (TYPE_DECLARATION.matcher(s).matches() || MEMBER_MODIFIER.matcher(s).matches()) return true;
        String firstWord = s.split("[^\\w]", 2)[0];
        return !STATEMENT_WORDS.contains(firstWord) && METHOD_DECLARATION.matcher(s).matches();
    }

    private static String stripComments(String s) {
        StringBuilder out = new StringBuilder();
        for (String line : s.split("\n")) {
            String t = line.strip();
            if (!t.startsWith("//")) out.append(line).append('\n');
        }
        return out.toString();
    }

    /** The bracket depth after a line, and its last code character (0 if none). */
    private record Scan(int depth, char last) {}

    /**
     * Scans one line for brackets outside string and char literals and comments. Block comments and text blocks are
     * assumed to sit within one line, which holds for doc examples.
     */
    private static Scan scan(String line, int depth) {
        char last = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') break;
            if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '*') {
                int end = line.indexOf("*/", i + 2);
                if (end < 0) break;
                i = end + 1;
                continue;
            }
            if (c == '"' || c == '\'') {
                i = skipLiteral(line, i, c);
                last = c;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') depth++;
            if (c == ')' || c == ']' || c == '}') depth--;
            if (!Character.isWhitespace(c)) last = c;
        }
        return new Scan(depth, last);
    }

    private static int skipLiteral(String line, int start, char quote) {
        for (int i = start + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') i++;
            else if (c == quote) return i;
        }
        return line.length();
    }
}
