// Placeholder until this suite lands.
#include "test_support.hpp"
