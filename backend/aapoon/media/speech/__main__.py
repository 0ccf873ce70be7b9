import sys

from aapoon.media.speech.process import child_main

sys.exit(child_main(sys.argv[1:]))
