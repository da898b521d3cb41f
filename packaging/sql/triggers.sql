-- The triggers on AudioFile (migrations 0009 and 0011), (re)created by whoever runs this file.
--
--   AudioFile_search_stale  (0009) when an UPDATE changes a searched column (title, artist,
--                           album, genre, filename) but not searchKey (an edit by the
--                           platform, which knows nothing of our search columns), empties
--                           searchKey and searchText, so a search never trusts a stale key.
--   AudioFile_change_ai/_au/_ad  (0011) log every insert, delete and edit of a searched
--                           column (or of clientId) in AudioFileChange, whoever writes, so
--                           each app keeps its in-memory search text in step.
--
-- When to run it, as the schema's owner (station_migrator), on the station database:
--
--   mariadb -h DB_HOST -u station_migrator -p radio < packaging/sql/triggers.sql
--
-- * `stationd db upgrade` could not create them (it then warns "Could not create trigger
--   ..." / "Could not create the triggers of AudioFileChange"): with binary logging on,
--   creating a trigger needs SUPER or log_bin_trust_function_creators = 1 (see
--   docs/operators/database.md). Searches stay correct without them, only slower.
-- * To move them to another account before dropping the one that created them: a trigger
--   runs with its DEFINER's privileges, and every write of AudioFile fails (error 1449) once
--   its definer no longer exists. Run this file as the new account (it needs TRIGGER on
--   AudioFile, UPDATE on AudioFile and INSERT on AudioFileChange: the migrator's grant of
--   packaging/sql/accounts.sql), then drop the old one.
--
-- Each trigger is replaced (dropped, then created again: a write in between is not seen
-- by it); running the file twice is harmless. The bodies must stay exactly the migrations'
-- (tests/integration/test_db_accounts.py compares them with a migrated database).

DROP TRIGGER IF EXISTS `AudioFile_search_stale`;
DROP TRIGGER IF EXISTS `AudioFile_change_ai`;
DROP TRIGGER IF EXISTS `AudioFile_change_au`;
DROP TRIGGER IF EXISTS `AudioFile_change_ad`;

DELIMITER //
CREATE TRIGGER `AudioFile_search_stale` BEFORE UPDATE ON `AudioFile` FOR EACH ROW BEGIN IF NOT (NEW.`title` <=> OLD.`title` AND NEW.`artist` <=> OLD.`artist` AND NEW.`album` <=> OLD.`album` AND NEW.`genre` <=> OLD.`genre` AND NEW.`filename` <=> OLD.`filename`) AND NEW.`searchKey` <=> OLD.`searchKey` THEN SET NEW.`searchKey` = NULL, NEW.`searchText` = NULL; END IF; END//
CREATE TRIGGER `AudioFile_change_ai` AFTER INSERT ON `AudioFile` FOR EACH ROW INSERT INTO `AudioFileChange` (`clientId`, `audioFileId`, `at`) VALUES (NEW.`clientId`, NEW.`id`, NOW(3))//
CREATE TRIGGER `AudioFile_change_au` AFTER UPDATE ON `AudioFile` FOR EACH ROW BEGIN IF NOT (NEW.`title` <=> OLD.`title` AND NEW.`artist` <=> OLD.`artist` AND NEW.`album` <=> OLD.`album` AND NEW.`genre` <=> OLD.`genre` AND NEW.`filename` <=> OLD.`filename` AND NEW.`clientId` <=> OLD.`clientId`) THEN INSERT INTO `AudioFileChange` (`clientId`, `audioFileId`, `at`) VALUES (NEW.`clientId`, NEW.`id`, NOW(3)); END IF; END//
CREATE TRIGGER `AudioFile_change_ad` AFTER DELETE ON `AudioFile` FOR EACH ROW INSERT INTO `AudioFileChange` (`clientId`, `audioFileId`, `at`) VALUES (OLD.`clientId`, OLD.`id`, NOW(3))//
DELIMITER ;

SELECT TRIGGER_NAME AS `trigger`, ACTION_TIMING AS timing, EVENT_MANIPULATION AS event,
       DEFINER AS definer
FROM information_schema.TRIGGERS
WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = 'AudioFile'
ORDER BY TRIGGER_NAME;
