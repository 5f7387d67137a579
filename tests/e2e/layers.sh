# The call structure of every file under lib/, etl/, join/, train/ and
# report/, from the built objects (tests/layers.py, nm and ctags): no two
# files call each other, nothing calls a main or up from lib/, and every
# function a header declares is defined in the .c of the same name.
. "$TESTS/e2e/lib.sh"
need python3 nm ctags
: "${GL_UNITS:?GL_UNITS must name the unit test binaries (run through make test)}"
build=${GL_UNITS%/units}
st=0
python3 "$GL_ROOT/tests/layers.py" "$build" >found.txt || st=$?
cat found.txt
case $st in
0) echo "layers: clean" ;;
77) skip "nm or ctags missing" ;;
*) fail "tests/layers.py finds the problems above" ;;
esac
