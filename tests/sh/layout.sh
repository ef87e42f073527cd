# layout.sh: the file graph drawn from the code (tests/layout/graph.sh):
# no circle between files, every include and call down the rooms of
# interp/README.md.  The calls come from the object files under $BUILD.
exec bash "$(dirname "$0")/../layout/graph.sh"
