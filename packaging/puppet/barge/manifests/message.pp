# @summary One message definition in /etc/barge/messages.d.
#
# The file is checked with `barge check --messages-file` before it is put
# in place, so a bad definition never reaches the agent; a good one
# reloads it.  The message name is the title unless message_name is given
# (two versions of one message need two titles).
#
# @param message_name the message name (default: the title).
# @param version     the definition's version, from 1.
# @param fields      [{name, type, nullable?, max_length?, unit?}], in order.
# @param description what the message records.
# @param owner       who to ask about it.
# @param ensure      present or absent.
define barge::message (
  Integer[1] $version,
  Array[Struct[{
    name                 => Pattern[/\A[A-Za-z_][A-Za-z0-9_]*\z/],
    type                 => Enum['string', 'int32', 'int64', 'double', 'bool', 'timestamp'],
    Optional[nullable]   => Boolean,
    Optional[max_length] => Integer[1],
    Optional[unit]       => Enum['ms', 's'],
  }], 1] $fields,
  Optional[Pattern[/\A[^\x00-\x1f]*\z/]] $description = undef,
  Optional[Pattern[/\A[^\x00-\x1f]*\z/]] $owner = undef,
  Enum['present', 'absent'] $ensure = 'present',
  Pattern[/\A[A-Za-z][A-Za-z0-9_]*\z/] $message_name = $title,
) {
  include barge

  $file_ensure = $ensure ? {
    'present' => file,
    default   => absent,
  }

  file { "${barge::messages_dir}/${message_name}-v${version}.yaml":
    ensure       => $file_ensure,
    owner        => 'root',
    group        => 'root',
    mode         => '0644',
    content      => epp('barge/message.yaml.epp', {
      'message_name' => $message_name,
      'version'      => $version,
      'description'  => $description,
      'owner'        => $owner,
      'fields'       => $fields,
    }),
    validate_cmd => '/usr/bin/barge check --messages-file %',
    require      => File[$barge::messages_dir],
    notify       => Service['barged'],
  }
}
