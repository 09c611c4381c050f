package io.switchboard.bus;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One channel's rules.
 *
 * @param name the channel's name
 * @param propagateToChannels the channels its events are copied to: those whose name this regular expression finds a
 *     match in (as netcluster's {@code RegExp.test}; anchor with {@code ^…$} for one exact name), never the channel
 *     itself; {@code null} for none
 * @param propagateToNet whether its events go to the other nodes of the mesh
 * @param trace whether the node prints every event of this channel on its standard output (netcluster's
 *     {@code dumptoconsole})
 */
public record ChannelConfig(String name, Pattern propagateToChannels, boolean propagateToNet, boolean trace) {
  /** Checks the name. */
  public ChannelConfig {
    Objects.requireNonNull(name, "name");
  }

  /** A channel with no rules: nothing copied, nothing traced. */
  public static ChannelConfig plain(String name) {
    return new ChannelConfig(name, null, false, false);
  }

  /** Whether this channel's events are copied to the channel named {@code other}. */
  public boolean propagatesTo(String other) {
    return propagateToChannels != null && !other.equals(name) && propagateToChannels.matcher(other).find();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelConfig c && name.equals(c.name) && propagateToNet == c.propagateToNet
        && trace == c.trace && Objects.equals(regex(), c.regex());
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, regex(), propagateToNet, trace);
  }

  private String regex() {
    return propagateToChannels == null ? null : propagateToChannels.pattern();
  }
}
