"""Errors that carry a code and parameters; the caller renders them in its language."""

from __future__ import annotations

from collections.abc import Callable

from rmdesk.i18n import N_

MESSAGES: dict[str, str] = {
    "data_dir_unusable": N_("The data folder {path} cannot be used: {reason}"),
    "store_corrupt": N_("The workshop file {path} is damaged or is not an rmdesk file: {reason}"),
    "store_too_new": N_(
        "The workshop file {path} was written by a newer version of rmdesk (schema {revision}). "
        "Install the newer version to open it."
    ),
    "store_write_failed": N_(
        "Could not save to {path}: {reason}. The last change was not saved; the screen now "
        "shows what is stored."
    ),
    "store_disk_full": N_(
        "The disk that holds {path} is full, so rmdesk cannot save there. Nothing was lost. "
        "Free some space on it (or start rmdesk with --data-dir on another disk) and try "
        "again."),
    "store_damaged": N_(
        "The workshop file {path} is damaged ({reason}). Nothing was changed. Close rmdesk "
        "and bring back a backup: rmdesk restore --list"),
    "store_read_failed": N_("The workshop file {path} could not be read: {reason}"),
    "database_url_invalid": N_(
        "“{url}” is not a database rmdesk can use ({reason}). Give a PostgreSQL URL such "
        "as postgresql://role:password@server:5432/workshop."),
    "server_driver_missing": N_(
        "This rmdesk has no PostgreSQL driver, so it cannot use a classroom server. "
        "Install it with: pip install -e \".[server]\""),
    "server_driver_missing_bundle": N_(
        "This copy of rmdesk was packaged without its PostgreSQL driver (psycopg), so it "
        "cannot connect to a classroom server. Install a package of rmdesk built with the "
        "driver: the packaging build includes it."),
    "server_unreachable": N_(
        "The classroom server {server} cannot be reached: {reason}. Check the network and "
        "the address, then try again."),
    "server_not_initialised": N_(
        "The database {server} has no rmdesk tables yet. The server's administrator "
        "creates them with: rmdesk server init --database URL"),
    "server_needs_upgrade": N_(
        "The database {server} has an older rmdesk schema ({revision}). The server's "
        "administrator backs it up (pg_dump), then upgrades it with: rmdesk server init "
        "--database URL"),
    "server_permission_denied": N_(
        "The classroom server refused this to the role {role}: {reason}. Each group may "
        "change only its own work; feedback, scores, phases and reveals are the "
        "facilitator's."),
    "server_admin_required": N_(
        "Only the server's administrator (the role the database {server} belongs to, "
        "allowed to create roles) can do this: {reason}"),
    "server_required": N_("This needs a classroom server: give --database postgresql://…"),
    "server_no_backups": N_(
        "The store on {server} is a PostgreSQL database: rmdesk keeps no backup files of "
        "it. Back it up on the server with pg_dump and bring it back with pg_restore."),
    "restore_no_backups": N_("There are no backups in {path}."),
    "restore_unknown_backup": N_(
        "There is no backup “{name}” in {path}. See the list with: rmdesk restore --list"),
    "restore_backup_invalid": N_(
        "The backup “{name}” cannot be restored: it is damaged or is not an rmdesk file "
        "({reason}). Choose another one."),
    "restore_in_use": N_(
        "rmdesk is open on {path}. Close it on this laptop, then restore the backup."),
    "restore_failed": N_("The backup could not be put in place of {path}: {reason}"),
    "pack_unreadable": N_("The content pack {path} cannot be read: {reason}"),
    "pack_invalid": N_("The content pack {path} is not valid:"),
    "pack_version_exists": N_(
        "Version {version} of the content pack “{id}” is already installed, with different "
        "content. Give the changed pack a new version number and import it again."),
    "pack_import_failed": N_("The content pack could not be copied to {path}: {reason}"),
    "schema_write_failed": N_("The schema could not be written to {path}: {reason}"),
    "pack_missing": N_(
        "The content pack “{id}” version {version} used by this workshop is not installed; "
        "showing “{fallback_id}” version {fallback_version} instead."),
    "agenda_unknown_exercises": N_(
        "Not an exercise of this pack: {found}. Its exercises: {choices}."),
    "agenda_unknown_preset": N_(
        "The content pack has no agenda “{found}”. Its agendas: {choices}."),
    "agenda_too_many": N_("Too many exercise ids: at most {count} may be listed."),
    "agenda_no_workshop": N_("This data folder has no workshop yet."),
    "agenda_empty": N_("Choose at least one exercise for the workshop."),
    "unknown_workshop": N_("There is no workshop titled “{title}”."),
    "unknown_group": N_("The workshop has no group named “{name}”."),
    "unknown_group_choices": N_(
        "The workshop has no group named “{name}”. Its groups: {choices}."),
    "unknown_language": N_("Unknown language “{lang}”. Choose one of: {choices}."),
    "rating_out_of_range": N_("A rating must be a whole number from 1 to 5, not {value}."),
    "text_too_long": N_("“{field}” is too long ({length} characters, at most {limit})."),
    "title_required": N_("A workshop needs a title."),
    "dates_out_of_order": N_("The workshop cannot end before it starts."),
    "name_required": N_("A name is required."),
    "duplicate_group": N_("There is already a group named “{name}”."),
    "report_write_failed": N_("The PDF could not be written to {path}: {reason}"),
    "no_group_selected": N_("Choose the group on this laptop before printing."),
    "answer_too_large": N_("The answer to exercise {exercise} is too large to save."),
    "pin_format": N_("A PIN is 4 to 12 digits (0-9), nothing else."),
    "pin_mismatch": N_("The two new PINs are not the same."),
    "pin_wrong": N_("That PIN is not right."),
    "pin_wait": N_("Too many wrong PINs. Try again in {seconds} seconds."),
    "pin_not_set": N_("No facilitator PIN has been set on this laptop yet."),
    "pin_already_set": N_("A facilitator PIN is already set; change it with the old PIN."),
    "facilitator_only": N_("Only the facilitator can do this: unlock facilitator mode first."),
    "score_out_of_range": N_("A score must be a whole number from 0 to {maximum}, not {value}."),
    "unknown_exercise": N_("The content pack has no exercise “{exercise}”."),
    "unknown_exercise_id": N_(
        "The content pack has no exercise “{exercise}”. Use one of: {choices}."),
    "group_has_work": N_(
        "This group already has work. Filling it with the model answers replaces that "
        "work: confirm to go ahead."),
    "no_model_work": N_("The content pack “{pack}” has no model work to fill a group with."),
    "report_cancelled": N_("Printing was cancelled; no file was written."),
    "too_many_languages": N_(
        "Choose one language, or two to print each part in the first and then in the second, "
        "not {count}."),
    # moving work between laptops (services/exchange); {path} is the file's name
    "exchange_unreadable": N_("{path} cannot be read: {reason}. Nothing was imported."),
    "exchange_file_too_large": N_(
        "{path} is {size_mb} MB; exchange files of up to {limit_mb} MB can be imported. "
        "Nothing was imported."
    ),
    "exchange_not_zip": N_(
        "{path} is not an rmdesk exchange file: it is not a zip archive, or it was cut short "
        "(copy it from the USB stick again). Nothing was imported."
    ),
    "exchange_damaged": N_(
        "{path} is damaged: “{entry}” cannot be read ({reason}). Copy the file again. "
        "Nothing was imported."
    ),
    "exchange_checksum": N_(
        "{path} was changed or damaged after it was exported: “{entry}” does not match its "
        "checksum. Nothing was imported."
    ),
    "exchange_unknown_format": N_(
        "{path} is not an rmdesk exchange file (it has no rmdesk manifest). "
        "Nothing was imported."
    ),
    "exchange_too_new": N_(
        "{path} was written by a newer version of rmdesk (exchange format {version}). "
        "Install the newer version to import it. Nothing was imported."
    ),
    "exchange_unknown_version": N_(
        "{path} uses an exchange format version this rmdesk does not know ({version}). "
        "Nothing was imported."
    ),
    "exchange_bad_manifest": N_(
        "The manifest of {path} is not valid: {problems}. Nothing was imported."
    ),
    "exchange_unsafe_entry": N_(
        "{path} contains an unsafe name, “{entry}” ({reason}), and was refused. "
        "Nothing was imported."
    ),
    "exchange_duplicate_entry": N_(
        "{path} contains “{entry}” twice and was refused. Nothing was imported."
    ),
    "exchange_unexpected_entry": N_(
        "{path} contains “{entry}”, which does not belong in this kind of exchange file. "
        "Nothing was imported."
    ),
    "exchange_unlisted_entry": N_(
        "{path} contains “{entry}”, which its manifest does not list. Nothing was imported."
    ),
    "exchange_missing_entry": N_(
        "{path} is incomplete: “{entry}” is missing. Nothing was imported."
    ),
    "exchange_too_many_entries": N_(
        "{path} holds {count} entries; at most {limit} are allowed. Nothing was imported."
    ),
    "exchange_member_too_large": N_(
        "{path}: “{entry}” is larger than {limit_mb} MB. Nothing was imported."
    ),
    "exchange_too_large": N_(
        "{path} unpacks to more than {limit_mb} MB. Nothing was imported."
    ),
    "exchange_bomb": N_(
        "{path}: “{entry}” is compressed suspiciously well (a “zip bomb”) and was refused. "
        "Nothing was imported."
    ),
    "exchange_invalid_json": N_(
        "{path}: “{entry}” is not valid JSON ({reason}). Nothing was imported."
    ),
    "exchange_invalid_records": N_(
        "{path}: “{entry}” is not a valid list of records: {problems}. Nothing was imported."
    ),
    "exchange_invalid_record": N_(
        "{path}: record {index} of “{entry}” is not valid: {problems}. Nothing was imported."
    ),
    "exchange_inconsistent": N_(
        "{path} does not hold together ({detail}). Nothing was imported."
    ),
    "exchange_invalid_pack": N_(
        "{path}: the content pack “{entry}” is not valid: {problems}. Nothing was imported."
    ),
    "exchange_foreign_workshop": N_(
        "{path} holds work for the workshop “{title}”, which is not on this laptop. Import "
        "that workshop's kit first. Nothing was imported."
    ),
    "exchange_import_write_failed": N_(
        "{path} could not be imported: a file could not be written to the data folder "
        "({reason}). Nothing was imported."
    ),
    "exchange_write_failed": N_(
        "The exchange file could not be written to {path}: {reason}. No file was left behind."
    ),
    "exchange_unsigned": N_(
        "{path} is not signed, so nobody can tell who wrote it. Ask for a new file written "
        "by this version of rmdesk. Nothing was imported."
    ),
    "exchange_bad_signature": N_(
        "{path} was changed after it was written: its signature does not match its "
        "content. Nothing was imported."
    ),
    "exchange_wrong_facilitator": N_(
        "{path} is not signed by the facilitator of the workshop “{title}”: only the kits "
        "written on the facilitator's laptop can change this workshop here. Nothing was "
        "imported."
    ),
    "exchange_wrong_signer": N_(
        "{path} is not signed by a laptop of group “{name}” or by the facilitator, so it "
        "cannot change that group's work. Nothing was imported."
    ),
    "exchange_unknown_group": N_(
        "{path} holds the work of group “{name}”, which this laptop's copy of the workshop "
        "does not have. Import the workshop's newest kit first. Nothing was imported."
    ),
    "exchange_invalid_dataset": N_(
        "{path}: the data set “{entry}” is not valid declaration data: {problems}. Nothing "
        "was imported."
    ),
    "exchange_not_facilitator": N_(
        "Only the facilitator's laptop can write the kit of the workshop “{title}”: this "
        "laptop was set up from a kit."
    ),
    "exchange_kit_needs_pin": N_(
        "Choose the facilitator PIN before writing a kit (Facilitator > Unlock facilitator mode, "
        "or rmdesk facilitator set-pin): the kit sets it on the participants' laptops, so "
        "that none of them can choose it first."
    ),
    "exchange_not_group_laptop": N_(
        "This laptop was not set up for group “{name}”, so it cannot sign that group's "
        "work. Import the kit the facilitator wrote for that group first."
    ),
    # Live sync with a classroom server
    "sync_bad_url": N_(
        "“{url}” is not a classroom server address. Write it as "
        "postgresql://user:password@host/database."),
    "sync_no_server": N_(
        "No classroom server is set for this laptop: give one with --database URL (or File > "
        "Connect to classroom server…)."),
    "sync_offline": N_(
        "The classroom server {url} cannot be reached ({reason}). Work goes on on this "
        "laptop and is sent when the server is back."),
    "sync_server_not_ready": N_(
        "The database {url} is not ready for this version of rmdesk (schema {revision}). "
        "The facilitator prepares it with: rmdesk server init --database URL"),
    "sync_no_group": N_(
        "This laptop is not set up for a group yet: import the kit the facilitator wrote "
        "for your group (File > Import from other laptops), then connect to the server."),
    "sync_needs_kit": N_(
        "This laptop's workshop did not come from the facilitator's kit, so it cannot sync "
        "with a classroom server. Import your group's kit first."),
    "sync_workshop_not_on_server": N_(
        "The classroom server {url} does not hold this laptop's workshop. Check the "
        "address with the facilitator."),
    "sync_interval_out_of_range": N_(
        "The time between two syncs must be a whole number of seconds from {minimum} to "
        "{maximum}; “{value}” is not."),
}


FIELD_NAMES: dict[str, str] = {"title": N_("Title"), "name": N_("Name")}


class RmdeskError(Exception):
    """A failure a user can act on: a code, parameters, and no translated text."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params

    def render(self, translate: Callable[[str], str]) -> str:
        template = MESSAGES.get(self.code)
        if template is None:
            return f"{self.code}: {self.params}"
        params = dict(self.params)
        if "field" in params:  # a field key: show the user's name for it
            from rmdesk.domain.register import FIELD_LABELS

            label = {**FIELD_LABELS, **FIELD_NAMES}.get(str(params["field"]))
            params["field"] = translate(label) if label else params["field"]
        return translate(template).format(**params)

    def __str__(self) -> str:  # English, for logs and tracebacks
        return self.render(lambda s: s)
