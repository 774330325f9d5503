#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <langinfo.h>
#include <locale.h>
#include <ncursesw/curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

// Helpers for Swift: curses macros and globals (stdscr, COLORS, A_BOLD, KEY_*) are not importable as such,
// and the C streams are globals Swift 6 will not touch. Only the Terminal target includes this header.

static volatile sig_atomic_t tailnas_signal_caught = 0;

static void tailnas_on_signal(int sig) { tailnas_signal_caught = sig; }

/// Installs SIGINT/SIGTERM/SIGHUP handlers that only record the signal (the UI loop then restores the
/// terminal). Installed before newterm so that ncurses keeps them.
static inline void tailnas_install_signal_handlers(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = tailnas_on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, NULL);
  sigaction(SIGTERM, &action, NULL);
  sigaction(SIGHUP, &action, NULL);
}

static inline void tailnas_restore_signal_handlers(void) {
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
}

/// The last signal caught, 0 if none.
static inline int tailnas_caught_signal(void) { return tailnas_signal_caught; }

static void tailnas_endwin_at_exit(void) {
  if (stdscr != NULL && !isendwin()) endwin();
}

/// Makes sure the terminal is restored even if the process exits without returning from the UI loop.
static inline void tailnas_register_exit_handler(void) { atexit(tailnas_endwin_at_exit); }

/// Whether the current locale uses UTF-8.
static inline int tailnas_locale_is_utf8(void) {
  const char *codeset = nl_langinfo(CODESET);
  return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

static inline SCREEN *tailnas_newterm(void) { return newterm(NULL, stdout, stdin); }

static inline WINDOW *tailnas_stdscr(void) { return stdscr; }
static inline int tailnas_lines(void) { return LINES; }
static inline int tailnas_cols(void) { return COLS; }
static inline int tailnas_colors(void) { return COLORS; }
static inline int tailnas_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t tailnas_attributes(int bold, int dim, int reverse, int underline) {
  attr_t a = A_NORMAL;
  if (bold) a |= A_BOLD;
  if (dim) a |= A_DIM;
  if (reverse) a |= A_REVERSE;
  if (underline) a |= A_UNDERLINE;
  return a;
}

/// Writes `count` wide characters at (y, x) with attributes and an extended colour pair.
static inline int tailnas_put(int y, int x, const wchar_t *text, int count, attr_t attributes, int pair) {
  attr_set(attributes, 0, &pair);
  return mvaddnwstr(y, x, text, count);
}

/// Reads one key: returns 0 for a character (in *out), 1 for a function key (KEY_* in *out), -1 for none.
static inline int tailnas_read_key(int timeout_ms, int *out) {
  wint_t ch = 0;
  timeout(timeout_ms);
  int result = get_wch(&ch);
  *out = (int)ch;
  if (result == OK) return 0;
  if (result == KEY_CODE_YES) return 1;
  return -1;
}

static inline int tailnas_key_up(void) { return KEY_UP; }
static inline int tailnas_key_down(void) { return KEY_DOWN; }
static inline int tailnas_key_left(void) { return KEY_LEFT; }
static inline int tailnas_key_right(void) { return KEY_RIGHT; }
static inline int tailnas_key_home(void) { return KEY_HOME; }
static inline int tailnas_key_end(void) { return KEY_END; }
static inline int tailnas_key_backspace(void) { return KEY_BACKSPACE; }
static inline int tailnas_key_enter(void) { return KEY_ENTER; }
static inline int tailnas_key_btab(void) { return KEY_BTAB; }
static inline int tailnas_key_resize(void) { return KEY_RESIZE; }
