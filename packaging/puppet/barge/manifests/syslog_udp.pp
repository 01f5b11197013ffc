# @summary Lets the host's rsyslog take syslog datagrams on loopback, for
#   the sender of `barge gen-java` and for log4j's and logback's UDP
#   syslog appenders.
#
# Writes /etc/rsyslog.d/30-barge-udp.conf (rsyslog's imudp on address and
# port) and runs restart when the file changes or goes.  rsyslog itself is
# left to whatever manages it; a host whose rsyslog.conf loads imudp
# already needs only its input, so do not use this class there.
#
# @param ensure  present or absent.
# @param address where rsyslog listens.  Keep it loopback: syslog over
#                UDP has no authentication, and anyone who can reach the
#                port can write rows.
# @param port    the UDP port (514, what the senders default to).
# @param restart the command that makes rsyslog read its configuration.
class barge::syslog_udp (
  Enum['present', 'absent'] $ensure = 'present',
  Pattern[/\A[0-9.]+\z/, /\A[0-9A-Fa-f:]+\z/] $address = '127.0.0.1',
  Integer[1, 65535] $port = 514,
  String[1] $restart = '/bin/systemctl try-restart rsyslog.service',
) {
  $file_ensure = $ensure ? {
    'present' => file,
    default   => absent,
  }

  file { '/etc/rsyslog.d/30-barge-udp.conf':
    ensure  => $file_ensure,
    owner   => 'root',
    group   => 'root',
    mode    => '0644',
    content => epp('barge/syslog_udp.conf.epp', {
      'address' => $address,
      'port'    => $port,
    }),
    notify  => Exec['barge-rsyslog-restart'],
  }

  exec { 'barge-rsyslog-restart':
    command     => $restart,
    refreshonly => true,
    path        => ['/usr/sbin', '/usr/bin', '/sbin', '/bin'],
  }
}
