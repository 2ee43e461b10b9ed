#!/usr/bin/env python3
"""C2 inlining failures that box Vector API values: reads a HotSpot compilation log
(java -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation -XX:LogFile=F ...) and prints, per C2 compilation of a
caller, every Nabla method that C2 did not inline although it takes or returns a Vector API type (a vector, mask
or shuffle). Such a call passes its vectors as heap objects: one allocation per vector per call, and a kernel
loop calling it runs at a fraction of its speed. Output: count, caller, callee, C2's reason."""
import re
import sys


def failures(log):
    seen = {}
    for task in re.finditer(r"<task (.*?)</task>", log, re.S):
        body, head = task.group(0), task.group(1)[:400]
        if re.search(r"level='[123]'", head):   # C1 tiers box anyway; only C2 (level 4, or no level) matters
            continue
        names = {k.group(1): k.group(2) for k in re.finditer(r"<(?:klass|type) id='(\d+)' name='([^']+)'", body)}
        methods = {}
        for m in re.finditer(r"<method id='(\d+)' holder='(\d+)' name='([^']+)' return='(\d+)'"
                             r"(?: arguments='([^']*)')?", body):
            methods[m.group(1)] = (m.group(2), m.group(3), [m.group(4)] + (m.group(5) or '').split())
        caller = re.search(r"method='([^ ']+) ([^ ']+)", head)
        for call in re.finditer(r"<call method='(\d+)'[^>]*>\s*(?:<[^>]*>\s*)*?<inline_fail reason='([^']+)'", body):
            holder, name, types = methods.get(call.group(1), ('?', '?', []))
            holder = names.get(holder, '?').replace('/', '.')
            if not holder.startswith('org.nabla'):
                continue
            if not any('incubator.vector' in names.get(t, '').replace('/', '.') for t in types):
                continue
            key = (caller.group(1).split('.')[-1] + '::' + caller.group(2), holder.split('.')[-1] + '::' + name,
                   call.group(2))
            seen[key] = seen.get(key, 0) + 1
    return seen


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: boxed-vectors.py COMPILATION_LOG')
    with open(sys.argv[1], errors='replace') as f:
        found = failures(f.read())
    for (caller, callee, reason), n in sorted(found.items()):
        print(n, caller, '->', callee, '(' + reason + ')')
    if not found:
        print('no C2 inlining failure of a Nabla method taking or returning vectors')
