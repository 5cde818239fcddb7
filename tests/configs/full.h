/* Full build: every subsystem, as config.h ships. */
