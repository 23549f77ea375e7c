package io.leadcycle.runtime;

import java.util.function.Supplier;

/**
 * A value built on first use and then shared, once per execution environment: the database, a queue's
 * client, a route table. Built at most once even when threads race; a host (the local server, a test) may
 * {@link #install} its own instead, and SnapStart priming may {@link #forget} it so that a restored
 * environment builds it afresh. The one lazy holder of the code base.
 */
public final class Lazy<T> implements Supplier<T> {

  private final Supplier<? extends T> build;
  private volatile T value;

  private Lazy(Supplier<? extends T> build) {
    this.build = build;
  }

  public static <T> Lazy<T> of(Supplier<? extends T> build) {
    return new Lazy<>(build);
  }

  @Override
  public T get() {
    T known = value;
    if (known == null) {
      synchronized (this) {
        known = value;
        if (known == null) {
          known = build.get();
          value = known;
        }
      }
    }
    return known;
  }

  /** The value if it was built (or installed), else null: never builds. */
  public T peek() {
    return value;
  }

  /** Uses {@code installed} from now on instead of building one. */
  public synchronized void install(T installed) {
    value = installed;
  }

  /** Forgets the value (returned, or null): the next {@link #get} builds a new one. */
  public synchronized T forget() {
    T known = value;
    value = null;
    return known;
  }
}
