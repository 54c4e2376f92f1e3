# funclen.awk - functions longer than max lines in C/C++ sources: "file:line name length" per
# function, where length counts the lines from its signature's first line to its closing
# brace.  A function is a brace block opened at depth 0 after a signature (a name and "(",
# no "=": not an initializer, a struct or an enum); braces in strings, character literals
# and comments do not count.  Usage: awk -f funclen.awk -v max=80 FILE...
BEGIN { if (max == "") max = 80 }
FNR == 1 { depth = 0; state = ""; sig = ""; sigline = 0; infn = 0 }

# The line without comments and literals; state carries a /* */ comment over lines.
function code(line,    out, i, c, nx) {
	out = ""
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1); nx = substr(line, i + 1, 1)
		if (state == "comment") {
			if (c == "*" && nx == "/") { state = ""; i++ }
			continue
		}
		if (state == "\"" || state == "'") {
			if (c == "\\") { i++; continue }
			if (c == state) { state = ""; out = out c }
			continue
		}
		if (c == "/" && nx == "*") { state = "comment"; i++; continue }
		if (c == "/" && nx == "/") break
		if (c == "\"" || c == "'") { state = c; out = out c; continue }
		out = out c
	}
	if (state == "\"" || state == "'") state = ""	# a literal never spans lines
	return out
}

{
	out = code($0)
	if (depth == 0 && !infn) {
		if (out ~ /^[A-Za-z_]/ && out !~ /^(#|typedef)/) {
			if (sig == "") sigline = FNR
			sig = sig " " out
		} else if (out ~ /^#/) {
			sig = ""; sigline = 0
		}
	}
	for (i = 1; i <= length(out); i++) {
		c = substr(out, i, 1)
		if (c == "{") {
			if (depth == 0) {
				pre = sig " " substr(out, 1, i - 1)
				if (pre ~ /[A-Za-z_0-9]+[ \t]*\(/ && pre !~ /=/ && pre !~ /extern "C"/) {
					infn = 1; start = sigline ? sigline : FNR
					name = pre; sub(/\(.*/, "", name)
					n = split(name, w, /[ \t*&]+/); name = w[n]
				}
			}
			depth++
		} else if (c == "}") {
			depth--
			if (depth == 0 && infn) {
				len = FNR - start + 1
				if (len > max) printf "%s:%d %s %d\n", FILENAME, start, name, len
				infn = 0
			}
			if (depth == 0) { sig = ""; sigline = 0 }
		} else if (c == ";" && depth == 0) {
			sig = ""; sigline = 0
		}
	}
}
