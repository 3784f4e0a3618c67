/**
 * SSH for backups: repositories on SFTP servers ({@link dev.backup4j.ssh.SftpBackends}) and sources that pull files
 * and command output from remote hosts ({@link dev.backup4j.ssh.RemoteSources}), on Apache MINA SSHD.
 */
module dev.backup4j.ssh {
    requires transitive dev.backup4j.core;
    // sshd-common and sshd-core in one jar: apart, they split packages, which the module path refuses
    requires org.apache.sshd.osgi;
    requires org.apache.sshd.sftp;
    requires org.slf4j;
    // Not used by this code: MINA SSHD looks them up by reflection for Ed25519 keys and legacy PEM private keys.
    // Required so that they are resolved on the module path too, where nothing else would add them.
    requires net.i2p.crypto.eddsa;
    requires org.bouncycastle.pkix;

    exports dev.backup4j.ssh;
}
