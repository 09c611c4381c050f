package io.switchboard.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A case of either benchmark ({@link BenchCase}, {@link BusBenchCase}) as the command line sees it: {@code --list}
 * prints its {@link #name()}, {@code --only} picks it by {@link #matches}.
 */
interface NamedCase {
  /** The name {@code --only} matches and {@code --list} prints. */
  String name();

  /** The names of the case's metric rows. */
  List<String> metrics();

  /** Whether {@code filter} is part of this case's name or of one of its rows' names ({@code <name> <metric>}). */
  default boolean matches(String filter) {
    if (name().contains(filter)) {
      return true;
    }
    for (String metric : metrics()) {
      if ((name() + " " + metric).contains(filter)) {
        return true;
      }
    }
    return false;
  }

  /** The cases of {@code all} that match one of {@code filters} ({@code --only}), in order; all if there are none. */
  static <C extends NamedCase> List<C> select(List<C> all, List<String> filters) {
    List<C> cases = new ArrayList<>();
    for (C c : all) {
      if (filters.isEmpty() || filters.stream().anyMatch(c::matches)) {
        cases.add(c);
      }
    }
    return cases;
  }
}
