// The declaration in include/CFuzzDriver.h is all; libFuzzer provides the definition.
#include "CFuzzDriver.h"
