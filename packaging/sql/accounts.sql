-- Least-privilege accounts on the shared station database. MariaDB 10.4 or later (tested
-- on 10.11, Debian 12's); not tested on MySQL (see the MySQL note below).
--
-- Three accounts, each allowed what its program does and nothing more:
--
--   station_migrator  schema changes: `stationd db upgrade`, `stationd db adopt`. It owns
--                     the schema (CREATE, ALTER, DROP, INDEX, REFERENCES, TRIGGER, and reads
--                     and writes every table, as migrations fill new columns). It is also
--                     the DEFINER of the triggers on AudioFile (migrations 0009 and 0011):
--                     a trigger runs with its definer's privileges, so do not DROP this
--                     account (every INSERT, UPDATE and DELETE of AudioFile would then fail
--                     with error 1449, "The user specified as a definer does not exist")
--                     and do not take its privileges away (error 1142/1143). Between
--                     upgrades you may lock it (ALTER USER ... ACCOUNT LOCK): the triggers
--                     still run. packaging/sql/triggers.sql moves them to another account.
--   station_app       the desktop app (operators and admins): reads and writes the tables
--                     of the library, playlists, schedule, stations, servers and DJ
--                     accounts; reads statistics, sessions, history and alerts, and may only
--                     acknowledge an alert; it prunes the log of library changes that the
--                     triggers write. No DDL.
--   stationd          the daemon on each streaming server: writes statistics samples and
--                     their roll-ups (and deletes old samples), live sessions, play history,
--                     alerts, and a server's status; reads what it exports and checks (the
--                     programme, live logins, desired state). It cannot change the library,
--                     playlists, schedule, stations or any password.
--
-- Run it as an administrator (root) with the `mariadb` client, setting the variables below
-- in the same session first. Passwords are never in this file: type them in the session
-- (MYSQL_HISTFILE=/dev/null keeps them out of ~/.mysql_history):
--
--   $ MYSQL_HISTFILE=/dev/null sudo mariadb
--   > SET @database = 'radio';                          -- required: the station database
--   > SET @migrator_password = '...', @app_password = '...', @stationd_password = '...';
--   > SET @app_host = '10.8.0.%', @stationd_host = '10.8.0.%';   -- optional, see below
--   > SOURCE /path/to/packaging/sql/accounts.sql
--
-- Variables (all optional except @database):
--   @migrator_user, @app_user, @stationd_user   account names (defaults: station_migrator,
--                                               station_app, stationd)
--   @migrator_host, @app_host, @stationd_host   where each may connect from, a MariaDB host
--                                               pattern (default 'localhost': the database
--                                               host itself and SSH tunnels ending on it;
--                                               use '127.0.0.1' instead if the server runs
--                                               with skip_name_resolve; '10.8.0.%' a VPN's
--                                               addresses; never '%' on a server reachable
--                                               from the internet)
--   @migrator_password, @app_password, @stationd_password
--                                               set: the account gets this password and is
--                                               unlocked. Unset (NULL): an existing account
--                                               keeps its password; a new one is created
--                                               LOCKED without one (give it one later with
--                                               ALTER USER ... IDENTIFIED BY '...' ACCOUNT UNLOCK).
--
-- The app's and stationd's grants name each table, so they need the schema: on a new
-- database this script first creates the three accounts and the migrator's grant and says
-- so; run `stationd db upgrade` as the migrator, then SOURCE this file again (no password
-- variables needed the second time). Run it again after every upgrade too: a new release may
-- add tables. Re-running is harmless: accounts that exist are kept, grants are only added
-- (nothing is revoked; to start an account from scratch, REVOKE ALL PRIVILEGES, GRANT OPTION
-- FROM it first). At the end the script clears the password variables and prints one line
-- per account saying what it did. A problem (no @database, no such database, an empty
-- password) stops it before it changes anything.
--
-- MySQL 8.0.22 and later (not tested here): SELECT ... FOR UPDATE also needs UPDATE, DELETE
-- or LOCK TABLES on the table; stationd locks Client rows, so there also run
-- GRANT LOCK TABLES ON `radio`.* TO 'stationd'@'...'. MariaDB needs only SELECT.
--
-- This file matches schema revision 0011. Its tables are listed in @station_tables and in
-- the GRANT statements; tests/integration/test_db_accounts.py fails when a migration adds a
-- table that is not here.

-- 1. Defaults and checks ---------------------------------------------------------------------

SET @accounts_sql_revision = '0011';
SET @migrator_user = COALESCE(@migrator_user, 'station_migrator'),
    @app_user = COALESCE(@app_user, 'station_app'),
    @stationd_user = COALESCE(@stationd_user, 'stationd'),
    @migrator_host = COALESCE(@migrator_host, 'localhost'),
    @app_host = COALESCE(@app_host, 'localhost'),
    @stationd_host = COALESCE(@stationd_host, 'localhost');

SET @problem = CASE
    WHEN @database IS NULL OR @database = '' THEN
        'accounts.sql: set the database first, e.g. SET @database = ''radio''; then SOURCE again.'
    WHEN NOT EXISTS (SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @database) THEN
        LEFT(CONCAT('accounts.sql: there is no database ', @database,
                    '; CREATE DATABASE it first (utf8mb4).'), 128)
    WHEN @migrator_password = '' OR @app_password = '' OR @stationd_password = '' THEN
        'accounts.sql: a password variable is empty; set a real password or leave it NULL.'
    WHEN '' IN (@migrator_user, @app_user, @stationd_user, @migrator_host, @app_host,
                @stationd_host) THEN
        'accounts.sql: an account name or host variable is empty.'
    WHEN (@migrator_user, @migrator_host) IN ((@app_user, @app_host),
                                              (@stationd_user, @stationd_host))
         OR (@app_user, @app_host) = (@stationd_user, @stationd_host) THEN
        'accounts.sql: two of the three accounts have the same name and host.'
    ELSE NULL
END;
SET @ok = @problem IS NULL;
SET @s = IF(@ok, 'DO 0', CONCAT('SIGNAL SQLSTATE ''45000'' SET MESSAGE_TEXT = ', QUOTE(@problem)));
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
-- (In an interactive SOURCE the client goes on after an error: every statement below does
-- nothing unless @ok.)

SET @db = CONCAT('`', REPLACE(@database, '`', '``'), '`');
-- In a database-level GRANT, _ and % are wildcards: escape them so `station_prod`.* does not
-- also cover a database called stationXprod.
SET @db_pattern = REPLACE(REPLACE(@db, '_', CONCAT(CHAR(92), '_')), '%', CONCAT(CHAR(92), '%'));
SET @migrator = CONCAT(QUOTE(@migrator_user), '@', QUOTE(@migrator_host)),
    @app = CONCAT(QUOTE(@app_user), '@', QUOTE(@app_host)),
    @stationd = CONCAT(QUOTE(@stationd_user), '@', QUOTE(@stationd_host));
SET @migrator_existed = EXISTS (SELECT 1 FROM mysql.user
                                WHERE User = @migrator_user AND Host = @migrator_host),
    @app_existed = EXISTS (SELECT 1 FROM mysql.user WHERE User = @app_user AND Host = @app_host),
    @stationd_existed = EXISTS (SELECT 1 FROM mysql.user
                                WHERE User = @stationd_user AND Host = @stationd_host);

-- The schema this file grants on: every table of revision 0011, and Alembic's version table
-- (the schema guard of the app and stationd reads it).
SET @station_tables = 'alembic_version,Client,StreamServer,StreamConfig,AudioFile,Playlist,PlaylistItem,Schedule,StreamStats,LiveSession,DjAccount,Alert,PlayHistory,StreamStatsHourly,StreamStatsDaily,AudioFileChange';
SET @tables_found = (SELECT COUNT(*) FROM information_schema.TABLES
                     WHERE TABLE_SCHEMA = @database
                       AND FIND_IN_SET(TABLE_NAME, @station_tables) > 0);
SET @ready = @ok AND @tables_found = 16;
SET @revision = NULL;
SET @s = IF(@ready, CONCAT('SELECT MAX(version_num) INTO @revision FROM ', @db, '.`alembic_version`'),
            'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;

-- 2. The accounts: created locked; a password given in the session sets it and unlocks ------

SET @s = IF(@ok, CONCAT('CREATE USER IF NOT EXISTS ', @migrator, ' ACCOUNT LOCK'), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ok, CONCAT('CREATE USER IF NOT EXISTS ', @app, ' ACCOUNT LOCK'), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ok, CONCAT('CREATE USER IF NOT EXISTS ', @stationd, ' ACCOUNT LOCK'), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;

SET @s = IF(@ok AND @migrator_password IS NOT NULL,
            CONCAT('ALTER USER ', @migrator, ' IDENTIFIED BY ', QUOTE(@migrator_password),
                   ' ACCOUNT UNLOCK'), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ok AND @app_password IS NOT NULL,
            CONCAT('ALTER USER ', @app, ' IDENTIFIED BY ', QUOTE(@app_password),
                   ' ACCOUNT UNLOCK'), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ok AND @stationd_password IS NOT NULL,
            CONCAT('ALTER USER ', @stationd, ' IDENTIFIED BY ', QUOTE(@stationd_password),
                   ' ACCOUNT UNLOCK'), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;

-- 3. The migrator: the schema's owner, on the whole database (tables to come included) ------

SET @s = IF(@ok, CONCAT('GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, ',
                        'REFERENCES, TRIGGER ON ', @db_pattern, '.* TO ', @migrator), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;

-- 4. The desktop app: table by table (only once the schema exists) --------------------------

SET @s = IF(@ready, CONCAT('GRANT SELECT ON ', @db, '.`alembic_version` TO ', @app), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
-- Stations are created and edited, never deleted from the app.
SET @s = IF(@ready, CONCAT('GRANT SELECT, INSERT, UPDATE ON ', @db, '.`Client` TO ', @app), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT, INSERT, UPDATE ON ', @db, '.`StreamConfig` TO ', @app),
            'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
-- The fleet (admins): servers are created, edited and deleted.
SET @s = IF(@ready, CONCAT('GRANT SELECT, INSERT, UPDATE, DELETE ON ', @db, '.`StreamServer` TO ',
                           @app), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT, INSERT, UPDATE, DELETE ON ', @db, '.`AudioFile` TO ',
                           @app), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT, INSERT, UPDATE, DELETE ON ', @db, '.`Playlist` TO ',
                           @app), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT, INSERT, UPDATE, DELETE ON ', @db, '.`PlaylistItem` TO ',
                           @app), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT, INSERT, UPDATE, DELETE ON ', @db, '.`Schedule` TO ',
                           @app), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT, INSERT, UPDATE, DELETE ON ', @db, '.`DjAccount` TO ',
                           @app), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
-- The log of library changes: written by the triggers (as their definer, the migrator);
-- the app reads it and deletes entries older than a day.
SET @s = IF(@ready, CONCAT('GRANT SELECT, DELETE ON ', @db, '.`AudioFileChange` TO ', @app),
            'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
-- What stationd records, the app only reads; of an alert it may only record who saw it.
SET @s = IF(@ready, CONCAT('GRANT SELECT ON ', @db, '.`StreamStats` TO ', @app), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT ON ', @db, '.`StreamStatsHourly` TO ', @app), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT ON ', @db, '.`StreamStatsDaily` TO ', @app), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT ON ', @db, '.`LiveSession` TO ', @app), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT ON ', @db, '.`PlayHistory` TO ', @app), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT, UPDATE (`acknowledgedAt`, `acknowledgedBy`) ON ', @db,
                           '.`Alert` TO ', @app), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;

-- 5. stationd: table by table, columns where it only sets a few -----------------------------

SET @s = IF(@ready, CONCAT('GRANT SELECT ON ', @db, '.`alembic_version` TO ', @stationd), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
-- Read only: what it renders and exports (stations, their stream settings and live
-- password, tracks, playlists, schedule), the DJs' logins it checks, its server.
SET @s = IF(@ready, CONCAT('GRANT SELECT ON ', @db, '.`Client` TO ', @stationd), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT ON ', @db, '.`StreamConfig` TO ', @stationd), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT ON ', @db, '.`AudioFile` TO ', @stationd), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT ON ', @db, '.`Playlist` TO ', @stationd), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT ON ', @db, '.`PlaylistItem` TO ', @stationd), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT ON ', @db, '.`Schedule` TO ', @stationd), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT ON ', @db, '.`DjAccount` TO ', @stationd), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
-- A server's status: offline when its Icecast stops answering, online when it is back.
SET @s = IF(@ready, CONCAT('GRANT SELECT, UPDATE (`status`) ON ', @db, '.`StreamServer` TO ',
                           @stationd), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
-- Samples, and their roll-ups (rewritten: deleted and inserted); retention deletes samples.
SET @s = IF(@ready, CONCAT('GRANT SELECT, INSERT, DELETE ON ', @db, '.`StreamStats` TO ',
                           @stationd), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT, INSERT, DELETE ON ', @db, '.`StreamStatsHourly` TO ',
                           @stationd), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
SET @s = IF(@ready, CONCAT('GRANT SELECT, INSERT, DELETE ON ', @db, '.`StreamStatsDaily` TO ',
                           @stationd), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
-- Live sessions: opened when a DJ connects, closed (end, duration, audience) when they leave.
SET @s = IF(@ready, CONCAT('GRANT SELECT, INSERT, UPDATE (`endTime`, `duration`, ',
                           '`peakListeners`, `avgListeners`) ON ', @db, '.`LiveSession` TO ',
                           @stationd), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
-- Play history: a track's row is closed when the next one starts.
SET @s = IF(@ready, CONCAT('GRANT SELECT, INSERT, UPDATE (`endedAt`) ON ', @db,
                           '.`PlayHistory` TO ', @stationd), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;
-- Alerts: raised, touched again while the problem lasts, cleared.
SET @s = IF(@ready, CONCAT('GRANT SELECT, INSERT, UPDATE (`lastSeenAt`, `failures`, `severity`, ',
                           '`message`, `clearedAt`) ON ', @db, '.`Alert` TO ', @stationd), 'DO 0');
PREPARE stmt FROM @s; EXECUTE stmt; DEALLOCATE PREPARE stmt;

-- 6. What was done ------------------------------------------------------------------------

SET @waiting = CONCAT('NOT YET: the schema is missing (', @tables_found, ' of 16 tables); ',
                      'run stationd db upgrade as ', @migrator_user, ', then SOURCE this again');
SELECT account, result FROM (
    SELECT 1 AS n, CONCAT(@migrator_user, '@', @migrator_host) AS account,
           CONCAT(IF(@migrator_existed, 'kept', 'created'), '; ',
                  IF(@migrator_password IS NOT NULL, 'password set',
                     IF(@migrator_existed, 'password unchanged',
                        'LOCKED until you give it a password')),
                  '; schema owner of ', @database) AS result
    UNION ALL
    SELECT 2, CONCAT(@app_user, '@', @app_host),
           CONCAT(IF(@app_existed, 'kept', 'created'), '; ',
                  IF(@app_password IS NOT NULL, 'password set',
                     IF(@app_existed, 'password unchanged', 'LOCKED until you give it a password')),
                  '; ', IF(@ready, 'desktop app privileges granted', @waiting))
    UNION ALL
    SELECT 3, CONCAT(@stationd_user, '@', @stationd_host),
           CONCAT(IF(@stationd_existed, 'kept', 'created'), '; ',
                  IF(@stationd_password IS NOT NULL, 'password set',
                     IF(@stationd_existed, 'password unchanged',
                        'LOCKED until you give it a password')),
                  '; ', IF(@ready, 'stationd privileges granted', @waiting))
    UNION ALL
    SELECT 4, '(schema)',
           IF(@revision IS NULL, 'no schema yet',
              CONCAT('revision ', @revision,
                     IF(@revision = @accounts_sql_revision, '',
                        CONCAT(' (this file was written for ', @accounts_sql_revision,
                               ': use the accounts.sql of the release that made it)')))))
    AS summary WHERE @ok ORDER BY n;

SET @migrator_password = NULL, @app_password = NULL, @stationd_password = NULL, @s = NULL;
