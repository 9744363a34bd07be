# capture.zsh LINE: prints the candidates zsh's completion offers for LINE, one a
# line, by driving an interactive zsh in a pseudo-terminal (zpty) with compinit and
# the completion function found in $COMPDIR. After zsh-capture-completion's approach
# (github.com/Valodim/zsh-capture-completion, MIT).
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "PROMPT= RPROMPT="
zpty -w z "fpath=($COMPDIR \$fpath); autoload -U compinit; compinit -u -D"
# Every candidate goes through compadd: print those, between markers, instead of
# showing a menu.
zpty -w z 'compadd () {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  typeset -a __hits
  builtin compadd -A __hits "$@"
  local i; for (( i = 1; i <= $#__hits; i++ )); do print -r -- "<<CAND>>${__hits[$i]}"; done
}'
zpty -w z "zstyle ':completion:*' list-grouped false; zstyle ':completion:*' insert-tab false; zstyle ':completion:*' menu no"
zpty -w z "bindkey '^I' complete-word; null-line () { echo -E - \$'\\0' }; compprefuncs=( null-line ); comppostfuncs=( null-line exit )"
zpty -n -w z "$1"$'\t'
integer tog=0
while zpty -r z; do :; done | while IFS= read -r line; do
  if [[ $line == *$'\0\r' ]]; then (( tog++ )) && return 0 || continue; fi
  (( tog )) && [[ $line == *'<<CAND>>'* ]] && print -r -- "${${line##*<<CAND>>}%$'\r'}"
done
