package io.switchboard.cli;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The command line's default logging, set in code when logback starts (found through {@code
 * META-INF/services/ch.qos.logback.classic.spi.Configurator}): warnings and errors, one concise line each, on
 * standard error, as {@link LoggingSetup} describes. In code rather than in a {@code logback.xml} because logback's
 * XML configuration (an XML parser, its rules and model) costs a command that opens a socket about a tenth of a
 * second of start-up (docs/cli.md#start-up).
 *
 * <p>A configuration file named by {@code -Dlogback.configurationFile} still applies: this configurator then steps
 * aside. Commands that take {@code --log-format} or {@code --log-level} replace this default ({@link LoggingOptions}).
 *
 * <p>Public only because logback instantiates it through {@link java.util.ServiceLoader}; not an API.
 */
public final class LoggingConfigurator extends ContextAwareBase implements Configurator {
  /** For the service loader. */
  public LoggingConfigurator() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY; // logback's own configurator reads the file named
    }
    LoggingSetup.configureDefault(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
