/** The {@code nabla} command line (picocli): one class per subcommand. */
package org.nabla.cli;
