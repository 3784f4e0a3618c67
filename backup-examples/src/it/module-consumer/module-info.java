/**
 * An application of backup4j as a named module, compiled and run on the module path by ModulePathConsumerTest.
 * It needs only backup4j's modules; the SSH server it starts for its SFTP repository is MINA SSHD's.
 */
module consumer {
    requires dev.backup4j.core;
    requires dev.backup4j.ssh;
    // only for the test's in-process SSH server
    requires org.apache.sshd.osgi;
    requires org.apache.sshd.sftp;
}
