<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>AlertsPanel</name>
    <message>
        <source>Show recent cleared alerts too</source>
        <translation>Mostrar también las alertas resueltas recientes</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Reconocer</translation>
    </message>
    <message>
        <source>Mark the selected alerts as seen by you</source>
        <translation>Marcar las alertas seleccionadas como vistas por usted</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>Generada</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>open</source>
        <translation>abierta</translation>
    </message>
    <message>
        <source>cleared</source>
        <translation>resuelta</translation>
    </message>
    <message>
        <source>Failures</source>
        <translation>Fallos</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>Reconocida</translation>
    </message>
    <message>
        <source>{who}, {when}</source>
        <translation>{who}, {when}</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <source>Assign to server</source>
        <translation>Asignar a un servidor</translation>
    </message>
    <message>
        <source>Put {station} on:</source>
        <translation>Poner {station} en:</translation>
    </message>
    <message>
        <source>{server} — {load} of {capacity} stations, {status}</source>
        <translation>{server} — {load} de {capacity} emisoras, {status}</translation>
    </message>
    <message>
        <source>{server} (suggested: least loaded)</source>
        <translation>{server} (recomendado: el menos cargado)</translation>
    </message>
    <message>
        <source>A station without stream settings gets a mountpoint, ports and a live password; a moved station keeps its settings.</source>
        <translation>Una emisora sin ajustes de emisión recibe un punto de montaje, puertos y una contraseña de directo; una emisora que se traslada conserva sus ajustes.</translation>
    </message>
</context>
<context>
    <name>BlockDialog</name>
    <message>
        <source>New schedule block</source>
        <translation>Nuevo bloque de programación</translation>
    </message>
    <message>
        <source>Edit schedule block</source>
        <translation>Editar bloque de programación</translation>
    </message>
    <message>
        <source>Active (plays on air)</source>
        <translation>Activo (suena en antena)</translation>
    </message>
    <message>
        <source>Day:</source>
        <translation>Día:</translation>
    </message>
    <message>
        <source>Start:</source>
        <translation>Inicio:</translation>
    </message>
    <message>
        <source>End:</source>
        <translation>Fin:</translation>
    </message>
    <message>
        <source>Playlist:</source>
        <translation>Lista:</translation>
    </message>
    <message>
        <source>{hours} h {minutes:02d} min</source>
        <translation>{hours} h {minutes:02d} min</translation>
    </message>
    <message>
        <source>Start and end are the same: the block would be empty.</source>
        <translation>El inicio y el fin coinciden: el bloque quedaría vacío.</translation>
    </message>
    <message>
        <source>Until midnight · {length}</source>
        <translation>Hasta medianoche · {length}</translation>
    </message>
    <message>
        <source>Runs past midnight, until {day} {time} · {length}</source>
        <translation>Pasa de la medianoche, hasta el {day} a las {time} · {length}</translation>
    </message>
</context>
<context>
    <name>ConnectionsDialog</name>
    <message>
        <source>Connections</source>
        <translation>Conexiones</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Añadir</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Quitar…</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;The embedded database on this computer&lt;/b&gt;&lt;/p&gt;&lt;p&gt;A local SQLite file that needs no server. It was created with a demo station the first time Station Desktop started, and media files are stored beside it.&lt;/p&gt;&lt;p&gt;File: {path}&lt;/p&gt;&lt;p&gt;To work on your hosting platform&apos;s shared MySQL or MariaDB database, add a connection.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;La base de datos integrada en este equipo&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Un archivo SQLite local que no necesita servidor. Se creó con una emisora de demostración la primera vez que se abrió Station Desktop, y los archivos de audio se guardan a su lado.&lt;/p&gt;&lt;p&gt;Archivo: {path}&lt;/p&gt;&lt;p&gt;Para trabajar con la base de datos MySQL o MariaDB compartida de su plataforma de alojamiento, añada una conexión.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Probar la conexión</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Conectar</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Deshacer cambios</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Base de datos</translation>
    </message>
    <message>
        <source>for example: Production</source>
        <translation>por ejemplo: Producción</translation>
    </message>
    <message>
        <source>MySQL / MariaDB server</source>
        <translation>Servidor MySQL / MariaDB</translation>
    </message>
    <message>
        <source>SQLite file</source>
        <translation>Archivo SQLite</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <source>Administrator: also manage servers and stations</source>
        <translation>Administrador: gestiona también servidores y emisoras</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nombre:</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>Tipo:</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Servidor:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Puerto:</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Usuario:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Contraseña:</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Base de datos:</translation>
    </message>
    <message>
        <source>Media files</source>
        <translation>Archivos de audio</translation>
    </message>
    <message>
        <source>A folder on this computer (or a mounted share)</source>
        <translation>Una carpeta de este equipo (o una unidad de red montada)</translation>
    </message>
    <message>
        <source>SFTP to each station&apos;s streaming server</source>
        <translation>SFTP al servidor de emisión de cada emisora</translation>
    </message>
    <message>
        <source>none: use the SSH agent</source>
        <translation>ninguno: usar el agente SSH</translation>
    </message>
    <message>
        <source>Storage:</source>
        <translation>Almacenamiento:</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Carpeta:</translation>
    </message>
    <message>
        <source>SFTP user:</source>
        <translation>Usuario SFTP:</translation>
    </message>
    <message>
        <source>Key file:</source>
        <translation>Archivo de clave:</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Archivo:</translation>
    </message>
    <message>
        <source>/path/to/station.db</source>
        <translation>/ruta/a/emisora.db</translation>
    </message>
    <message>
        <source>where the servers&apos; /audio folder is mounted</source>
        <translation>donde está montada la carpeta /audio de los servidores</translation>
    </message>
    <message>
        <source>Embedded database</source>
        <translation>Base de datos integrada</translation>
    </message>
    <message>
        <source>{name} · connected</source>
        <translation>{name} · conectada</translation>
    </message>
    <message>
        <source>The SQLite database on this computer, with the demo station</source>
        <translation>La base de datos SQLite de este equipo, con la emisora de demostración</translation>
    </message>
    <message>
        <source>stored in the keyring; type to replace it</source>
        <translation>guardada en el llavero; escriba otra para sustituirla</translation>
    </message>
    <message>
        <source>Saved {name}.</source>
        <translation>{name} guardada.</translation>
    </message>
    <message>
        <source>The embedded database does not exist yet; it is created when you connect.</source>
        <translation>La base de datos integrada aún no existe; se crea al conectar.</translation>
    </message>
    <message>
        <source>Connecting to {where}…</source>
        <translation>Conectando con {where}…</translation>
    </message>
    <message>
        <source>The server answered, but this database cannot be used as it is: {problem}</source>
        <translation>El servidor respondió, pero esta base de datos no se puede usar tal como está: {problem}</translation>
    </message>
    <message>
        <source>Could not connect: {problem}</source>
        <translation>No se pudo conectar: {problem}</translation>
    </message>
    <message>
        <source>Connected to {where}. The schema is up to date (revision {revision}).</source>
        <translation>Conectado con {where}. El esquema está al día (revisión {revision}).</translation>
    </message>
    <message>
        <source>Enter the database server&apos;s host name or IP address (for example db.example.net).</source>
        <translation>Escriba el nombre o la dirección IP del servidor de la base de datos (por ejemplo db.example.net).</translation>
    </message>
    <message>
        <source>The port must be between 1 and 65535.</source>
        <translation>El puerto debe estar entre 1 y 65535.</translation>
    </message>
    <message>
        <source>Enter the database user name.</source>
        <translation>Escriba el nombre de usuario de la base de datos.</translation>
    </message>
    <message>
        <source>Give the full path of the media folder.</source>
        <translation>Indique la ruta completa de la carpeta de audio.</translation>
    </message>
    <message>
        <source>Enter the user that logs in to the servers over SFTP.</source>
        <translation>Escriba el usuario con el que se entra en los servidores por SFTP.</translation>
    </message>
    <message>
        <source>Give the full path of the SSH key file.</source>
        <translation>Indique la ruta completa del archivo de clave SSH.</translation>
    </message>
    <message>
        <source>Give the connection a name.</source>
        <translation>Ponga un nombre a la conexión.</translation>
    </message>
    <message>
        <source>Another connection is already called {name}; choose another name.</source>
        <translation>Ya hay otra conexión llamada {name}; elija otro nombre.</translation>
    </message>
    <message>
        <source>Enter the name of the database (for example radio).</source>
        <translation>Escriba el nombre de la base de datos (por ejemplo radio).</translation>
    </message>
    <message>
        <source>Choose the SQLite database file (its full path).</source>
        <translation>Elija el archivo de base de datos SQLite (su ruta completa).</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>Nueva conexión</translation>
    </message>
    <message>
        <source>Remove connection</source>
        <translation>Quitar la conexión</translation>
    </message>
    <message>
        <source>Remove the connection {name}? Its password is deleted from the keyring. The database itself is not touched.</source>
        <translation>¿Quitar la conexión {name}? Su contraseña se borra del llavero. La base de datos en sí no se toca.</translation>
    </message>
    <message>
        <source>SQLite database file</source>
        <translation>Archivo de base de datos SQLite</translation>
    </message>
    <message>
        <source>SQLite databases (*.db *.sqlite *.sqlite3)</source>
        <translation>Bases de datos SQLite (*.db *.sqlite *.sqlite3)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Media folder</source>
        <translation>Carpeta de audio</translation>
    </message>
    <message>
        <source>SSH private key</source>
        <translation>Clave privada SSH</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <translation>Panel</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>Mountpoint</source>
        <translation>Punto de montaje</translation>
    </message>
    <message>
        <source>Bitrates</source>
        <translation>Tasas de bits</translation>
    </message>
    <message>
        <source>AutoDJ</source>
        <translation>AutoDJ</translation>
    </message>
    <message>
        <source>Live input</source>
        <translation>Entrada en directo</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zona horaria</translation>
    </message>
    <message>
        <source>Storage quota</source>
        <translation>Cuota de almacenamiento</translation>
    </message>
    <message>
        <source>On air</source>
        <translation>En antena</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Emisora</translation>
    </message>
    <message>
        <source>Playlist</source>
        <translation>Lista</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Tracks</source>
        <translation>Pistas</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Día</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Horario</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Activo</translation>
    </message>
    <message>
        <source>Playlists</source>
        <translation>Listas de reproducción</translation>
    </message>
    <message>
        <source>Weekly schedule</source>
        <translation>Programación semanal</translation>
    </message>
    <message>
        <source>{station} is not assigned to a streaming server yet: there is no stream to watch or control.</source>
        <translation>{station} aún no tiene servidor de emisión asignado: no hay ninguna emisión que vigilar ni controlar.</translation>
    </message>
    <message>
        <source>not assigned to a server yet</source>
        <translation>aún sin servidor asignado</translation>
    </message>
    <message>
        <source>on, {mode}, crossfade {seconds} s</source>
        <translation>activado, {mode}, fundido de {seconds} s</translation>
    </message>
    <message>
        <source>off</source>
        <translation>desactivado</translation>
    </message>
    <message>
        <source>enabled on port {port}</source>
        <translation>activada en el puerto {port}</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>desactivada</translation>
    </message>
    <message>
        <source>Start requested: stationd starts the stream within a few seconds.</source>
        <translation>Inicio solicitado: stationd inicia la emisión en unos segundos.</translation>
    </message>
    <message>
        <source>Stop requested: stationd stops the stream within a few seconds.</source>
        <translation>Parada solicitada: stationd detiene la emisión en unos segundos.</translation>
    </message>
    <message>
        <source>Could not skip: {problem}</source>
        <translation>No se pudo saltar: {problem}</translation>
    </message>
    <message>
        <source>Skipped to the next track.</source>
        <translation>Se ha saltado a la pista siguiente.</translation>
    </message>
</context>
<context>
    <name>DjAccountsPanel</name>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Activa</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Añadir…</translation>
    </message>
    <message>
        <source>Regenerate…</source>
        <translation>Regenerar…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Desactivar</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Each DJ logs in with their own username and password; the station&apos;s login above keeps working. A disabled account cannot log in.</source>
        <translation>Cada DJ entra con su propio usuario y contraseña; el acceso de la emisora de arriba sigue funcionando. Una cuenta desactivada no puede entrar.</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Activar</translation>
    </message>
    <message>
        <source>Add a DJ account</source>
        <translation>Añadir una cuenta de DJ</translation>
    </message>
    <message>
        <source>for example dj.maria</source>
        <translation>por ejemplo dj.maria</translation>
    </message>
    <message>
        <source>DJ name:</source>
        <translation>Nombre del DJ:</translation>
    </message>
    <message>
        <source>Username:</source>
        <translation>Usuario:</translation>
    </message>
    <message>
        <source>Password of {username}</source>
        <translation>Contraseña de {username}</translation>
    </message>
    <message>
        <source>Give {name} this password now: it is shown only this once. If it is lost, regenerate it.</source>
        <translation>Dé ahora esta contraseña a {name}: solo se muestra esta vez. Si se pierde, regenérela.</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Regenerate the DJ&apos;s password</source>
        <translation>Regenerar la contraseña del DJ</translation>
    </message>
    <message>
        <source>Make a new password for {name}? The current one stops working at once.</source>
        <translation>¿Crear una contraseña nueva para {name}? La actual deja de funcionar al momento.</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Regenerar</translation>
    </message>
    <message>
        <source>Delete the DJ account</source>
        <translation>Borrar la cuenta de DJ</translation>
    </message>
    <message>
        <source>Delete the account of {name} ({username})? They can no longer log in.</source>
        <translation>¿Borrar la cuenta de {name} ({username})? Ya no podrá entrar.</translation>
    </message>
</context>
<context>
    <name>DjWindow</name>
    <message>
        <source>Station Desktop — DJ mode</source>
        <translation>Station Desktop — modo DJ</translation>
    </message>
    <message>
        <source>Enter your station&apos;s server and the mount you broadcast to. This window checks Icecast&apos;s public status every few seconds; it needs no database.</source>
        <translation>Escriba el servidor de su emisora y el montaje al que emite. Esta ventana consulta el estado público de Icecast cada pocos segundos; no necesita ninguna base de datos.</translation>
    </message>
    <message>
        <source>Server URL:</source>
        <translation>URL del servidor:</translation>
    </message>
    <message>
        <source>Mount:</source>
        <translation>Montaje:</translation>
    </message>
    <message>
        <source>Show window</source>
        <translation>Mostrar la ventana</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Salir</translation>
    </message>
    <message>
        <source>{mount} is off air: the connection to the server dropped.</source>
        <translation>{mount} está fuera de antena: se cortó la conexión con el servidor.</translation>
    </message>
    <message>
        <source>{mount}: the server stopped answering.</source>
        <translation>{mount}: el servidor dejó de responder.</translation>
    </message>
    <message>
        <source>Off air</source>
        <translation>Fuera de antena</translation>
    </message>
    <message>
        <source>Enter the server URL and the mount.</source>
        <translation>Escriba la URL del servidor y el montaje.</translation>
    </message>
    <message>
        <source>Cannot reach the server</source>
        <translation>No se puede contactar con el servidor</translation>
    </message>
    <message>
        <source>ON AIR</source>
        <translation>EN ANTENA</translation>
    </message>
    <message>
        <source>{listeners} listening. Title: {title}</source>
        <translation>{listeners} oyentes. Título: {title}</translation>
    </message>
    <message>
        <source>Icecast has no source on {mount}.</source>
        <translation>Icecast no tiene ninguna fuente en {mount}.</translation>
    </message>
    <message>
        <source>Checked at {time}.</source>
        <translation>Comprobado a las {time}.</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <source>{bitrate} kbps</source>
        <translation>{bitrate} kbps</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
</context>
<context>
    <name>ImportPanel</name>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Looking at the files…</source>
        <translation>Revisando los archivos…</translation>
    </message>
    <message>
        <source>%v of %m</source>
        <translation>%v de %m</translation>
    </message>
    <message>
        <source>Importing {name}</source>
        <translation>Importando {name}</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <source>Cancelling: finishing the files in progress…</source>
        <translation>Cancelando: terminando los archivos en curso…</translation>
    </message>
</context>
<context>
    <name>ImportReport</name>
    <message>
        <source>imported: %n</source>
        <translation>importados: %n</translation>
    </message>
    <message>
        <source>duplicates: %n</source>
        <translation>duplicados: %n</translation>
    </message>
    <message>
        <source>errors: %n</source>
        <translation>errores: %n</translation>
    </message>
    <message>
        <source>cancelled: %n</source>
        <translation>cancelados: %n</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <source>Import report</source>
        <translation>Informe de importación</translation>
    </message>
    <message>
        <source>The import was cancelled. {summary}.</source>
        <translation>Se canceló la importación. {summary}.</translation>
    </message>
    <message>
        <source>Import finished. {summary}.</source>
        <translation>Importación terminada. {summary}.</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Archivo</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <source>Copy report</source>
        <translation>Copiar el informe</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>Importado</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplicado</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Rotation</source>
        <translation>Rotación</translation>
    </message>
    <message>
        <source>Special</source>
        <translation>Especial</translation>
    </message>
    <message>
        <source>Jingles</source>
        <translation>Cuñas</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Activo</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Inactivo</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>En línea</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation>Mantenimiento</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Aleatorio</translation>
    </message>
    <message>
        <source>Sequential</source>
        <translation>Secuencial</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>Procesando</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Lista</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Falta</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Aviso</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>Crítico</translation>
    </message>
</context>
<context>
    <name>LibraryModel</name>
    <message>
        <source>Cover</source>
        <translation>Portada</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Título</translation>
    </message>
    <message>
        <source>Artist</source>
        <translation>Artista</translation>
    </message>
    <message>
        <source>Album</source>
        <translation>Álbum</translation>
    </message>
    <message>
        <source>Genre</source>
        <translation>Género</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Año</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <source>Bitrate</source>
        <translation>Tasa de bits</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>The import failed; no reason was recorded.</source>
        <translation>La importación falló; no se registró el motivo.</translation>
    </message>
    <message>
        <source>No title tag: the file name is shown ({name})</source>
        <translation>Sin etiqueta de título: se muestra el nombre del archivo ({name})</translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <source>Library</source>
        <translation>Biblioteca</translation>
    </message>
    <message>
        <source>Search title, artist, album, genre or file name (Ctrl+F)</source>
        <translation>Buscar por título, artista, álbum, género o nombre de archivo (Ctrl+F)</translation>
    </message>
    <message>
        <source>All tracks</source>
        <translation>Todas las pistas</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Lista</translation>
    </message>
    <message>
        <source>Processing</source>
        <translation>Procesando</translation>
    </message>
    <message>
        <source>With errors</source>
        <translation>Con errores</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importar…</translation>
    </message>
    <message>
        <source>No station selected.</source>
        <translation>No hay ninguna emisora seleccionada.</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <source>Import &amp;files…</source>
        <translation>Importar &amp;archivos…</translation>
    </message>
    <message>
        <source>Import a f&amp;older…</source>
        <translation>Importar una &amp;carpeta…</translation>
    </message>
    <message>
        <source>&amp;Edit tags…</source>
        <translation>&amp;Editar etiquetas…</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Borrar…</translation>
    </message>
    <message>
        <source>Not connected to a database.</source>
        <translation>Sin conexión a ninguna base de datos.</translation>
    </message>
    <message>
        <source>No station selected. Choose one in the station switcher at the top of the window.</source>
        <translation>No hay ninguna emisora seleccionada. Elija una en el selector de emisoras, arriba en la ventana.</translation>
    </message>
    <message>
        <source>This station&apos;s library is empty.
Drop audio files or folders here, or use Import (Ctrl+I).</source>
        <translation>La biblioteca de esta emisora está vacía.
Suelte aquí archivos o carpetas de audio, o use Importar (Ctrl+I).</translation>
    </message>
    <message>
        <source>{used} of {quota} used ({percent} %)</source>
        <translation>{used} usados de {quota} ({percent} %)</translation>
    </message>
    <message>
        <source>{free} free of the station&apos;s quota</source>
        <translation>{free} libres de la cuota de la emisora</translation>
    </message>
    <message>
        <source>{shown} of {total} tracks</source>
        <translation>{shown} de {total} pistas</translation>
    </message>
    <message>
        <source>1 track</source>
        <translation>1 pista</translation>
    </message>
    <message>
        <source>{count} tracks</source>
        <translation>{count} pistas</translation>
    </message>
    <message>
        <source>No track matches the search.</source>
        <translation>Ninguna pista coincide con la búsqueda.</translation>
    </message>
    <message>
        <source>The library could not be read</source>
        <translation>No se pudo leer la biblioteca</translation>
    </message>
    <message>
        <source>Too many tracks selected</source>
        <translation>Demasiadas pistas seleccionadas</translation>
    </message>
    <message>
        <source>Select at most {count} tracks at a time.</source>
        <translation>Seleccione como máximo {count} pistas a la vez.</translation>
    </message>
    <message>
        <source>Still loading</source>
        <translation>Todavía cargando</translation>
    </message>
    <message>
        <source>Some of the selected tracks are still loading; try again in a moment.</source>
        <translation>Algunas de las pistas seleccionadas aún se están cargando; inténtelo de nuevo en un momento.</translation>
    </message>
    <message>
        <source>Delete “{title}”?</source>
        <translation>¿Borrar «{title}»?</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n tracks?</source>
        <translation>
            <numerusform>¿Borrar %n pista?</numerusform>
            <numerusform>¿Borrar %n pistas?</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete tracks</source>
        <translation>Borrar pistas</translation>
    </message>
    <message>
        <source>They are removed from the library and from every playlist that contains them. This cannot be undone.</source>
        <translation>Se quitan de la biblioteca y de todas las listas que las contienen. Esto no se puede deshacer.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Nothing was deleted</source>
        <translation>No se borró nada</translation>
    </message>
    <message>
        <source>{reason}
The list was reloaded; check the tracks and delete again.</source>
        <translation>{reason}
Se ha recargado la lista; revise las pistas y vuelva a borrar.</translation>
    </message>
    <message>
        <source>“{title}” was deleted.</source>
        <translation>Se borró «{title}».</translation>
    </message>
    <message numerus="yes">
        <source>%n tracks were deleted.</source>
        <translation>
            <numerusform>Se borró %n pista.</numerusform>
            <numerusform>Se borraron %n pistas.</numerusform>
        </translation>
    </message>
    <message>
        <source>• {playlist}: {count}</source>
        <translation>• {playlist}: {count}</translation>
    </message>
    <message>
        <source>They were taken out of these playlists (tracks removed):
{playlists}</source>
        <translation>Se quitaron de estas listas (pistas quitadas):
{playlists}</translation>
    </message>
    <message>
        <source>They were in no playlist.</source>
        <translation>No estaban en ninguna lista.</translation>
    </message>
    <message>
        <source>Tracks deleted</source>
        <translation>Pistas borradas</translation>
    </message>
    <message>
        <source>Import audio files</source>
        <translation>Importar archivos de audio</translation>
    </message>
    <message>
        <source>Audio files ({patterns})</source>
        <translation>Archivos de audio ({patterns})</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Import a folder (with its subfolders)</source>
        <translation>Importar una carpeta (con sus subcarpetas)</translation>
    </message>
    <message>
        <source>Nothing to import into</source>
        <translation>No hay dónde importar</translation>
    </message>
    <message>
        <source>Choose a station first, then import its files.</source>
        <translation>Elija antes una emisora y después importe sus archivos.</translation>
    </message>
    <message>
        <source>An import is running</source>
        <translation>Hay una importación en curso</translation>
    </message>
    <message>
        <source>Wait for the current import to finish (or cancel it), then import these.</source>
        <translation>Espere a que termine la importación en curso (o cancélela) y después importe estos.</translation>
    </message>
    <message>
        <source>Importing is not available</source>
        <translation>La importación no está disponible</translation>
    </message>
    <message>
        <source>This version cannot import files into this database.</source>
        <translation>Esta versión no puede importar archivos en esta base de datos.</translation>
    </message>
    <message>
        <source>The files were not imported</source>
        <translation>Los archivos no se importaron</translation>
    </message>
</context>
<context>
    <name>ListenerChart</name>
    <message>
        <source>Listeners</source>
        <translation>Oyentes</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>Media</translation>
    </message>
    <message>
        <source>Peak</source>
        <translation>Pico</translation>
    </message>
    <message>
        <source>64 kbps</source>
        <translation>64 kbps</translation>
    </message>
    <message>
        <source>128 kbps</source>
        <translation>128 kbps</translation>
    </message>
    <message>
        <source>320 kbps</source>
        <translation>320 kbps</translation>
    </message>
    <message>
        <source>Other bitrates</source>
        <translation>Otras tasas de bits</translation>
    </message>
</context>
<context>
    <name>LivePage</name>
    <message>
        <source>Live</source>
        <translation>En directo</translation>
    </message>
    <message>
        <source>What a DJ enters in BUTT or Mixxx to broadcast live on this station.</source>
        <translation>Lo que un DJ escribe en BUTT o Mixxx para emitir en directo en esta emisora.</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <source>On air now</source>
        <translation>En antena ahora</translation>
    </message>
    <message>
        <source>DJ accounts</source>
        <translation>Cuentas de DJ</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Puerto</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>Mount</source>
        <translation>Montaje</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <source>Regenerate password…</source>
        <translation>Regenerar la contraseña…</translation>
    </message>
    <message>
        <source>DJ connected</source>
        <translation>DJ conectado</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Quién</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>Listeners now</source>
        <translation>Oyentes ahora</translation>
    </message>
    <message>
        <source>Copy guide</source>
        <translation>Copiar la guía</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(sin nombre)</translation>
    </message>
    <message>
        <source>DJ</source>
        <translation>DJ</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Fin</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>Peak</source>
        <translation>Pico</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>Media</translation>
    </message>
    <message>
        <source>Connection guides</source>
        <translation>Guías de conexión</translation>
    </message>
    <message>
        <source>Live sessions</source>
        <translation>Sesiones en directo</translation>
    </message>
    <message>
        <source>{station} is not assigned to a streaming server yet, so it has no live input.</source>
        <translation>{station} aún no tiene servidor de emisión asignado, así que no tiene entrada en directo.</translation>
    </message>
    <message>
        <source>Asking the station&apos;s Liquidsoap…</source>
        <translation>Consultando el Liquidsoap de la emisora…</translation>
    </message>
    <message>
        <source>The live input is disabled in the stream settings: DJs cannot connect until it is enabled.</source>
        <translation>La entrada en directo está desactivada en los ajustes de emisión: los DJ no pueden conectarse hasta que se active.</translation>
    </message>
    <message>
        <source>BUTT (broadcast using this tool)
1. Settings &gt; Main &gt; Server &gt; Add.
2. Type: Icecast
   Address: {host}
   Port: {port}
   Password: {password}
   Icecast mountpoint: {mount}
   Icecast user: {user}
3. Settings &gt; Audio: codec MP3, 128 kbit/s, 44100 Hz, stereo.
4. Save, then press the Play button to go on air.</source>
        <translation>BUTT (broadcast using this tool)
1. Ajustes (Settings) &gt; Principal (Main) &gt; Servidor (Server) &gt; Añadir (Add).
2. Tipo: Icecast
   Dirección: {host}
   Puerto: {port}
   Contraseña: {password}
   Punto de montaje de Icecast: {mount}
   Usuario de Icecast: {user}
3. Ajustes (Settings) &gt; Audio: códec MP3, 128 kbit/s, 44100 Hz, estéreo.
4. Guarde y pulse el botón Play para salir en antena.</translation>
    </message>
    <message>
        <source>Mixxx
1. Preferences &gt; Live Broadcasting: select a connection.
2. Type: Icecast 2
   Host: {host}
   Port: {port}
   Mount: {mount}
   Login: {user}
   Password: {password}
3. Encoding: MP3, 128 kbps, stereo.
4. Options &gt; Enable Live Broadcasting to go on air.</source>
        <translation>Mixxx
1. Preferencias &gt; Emisión en directo (Live Broadcasting): elija una conexión.
2. Tipo: Icecast 2
   Servidor: {host}
   Puerto: {port}
   Montaje: {mount}
   Usuario: {user}
   Contraseña: {password}
3. Codificación: MP3, 128 kbps, estéreo.
4. Opciones &gt; Activar la emisión en directo (Enable Live Broadcasting) para salir en antena.</translation>
    </message>
    <message>
        <source>(hidden: press Show, or Copy guide)</source>
        <translation>(oculta: pulse Mostrar o Copiar la guía)</translation>
    </message>
    <message>
        <source>unknown (Liquidsoap does not answer)</source>
        <translation>desconocido (Liquidsoap no responde)</translation>
    </message>
    <message>
        <source>Checked at {time}.</source>
        <translation>Comprobado a las {time}.</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Ocultar</translation>
    </message>
    <message>
        <source>Regenerate the live password</source>
        <translation>Regenerar la contraseña de directo</translation>
    </message>
    <message>
        <source>Make a new live password? The current one stops working at once: a DJ who is on air with it stays connected, but cannot reconnect until they enter the new one.</source>
        <translation>¿Crear una nueva contraseña de directo? La actual deja de funcionar en el acto: un DJ que esté en antena con ella sigue conectado, pero no podrá volver a conectarse hasta que escriba la nueva.</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Regenerar</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Station Desktop</source>
        <translation>Station Desktop</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <source>No stations</source>
        <translation>No hay emisoras</translation>
    </message>
    <message>
        <source>The station every page shows</source>
        <translation>La emisora que muestran todas las páginas</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Emisora</translation>
    </message>
    <message>
        <source>Station:</source>
        <translation>Emisora:</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>Administración</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Connections…</source>
        <translation>&amp;Conexiones…</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Recargar</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Deshacer</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rehacer</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <source>Open &amp;Log Folder</source>
        <translation>Abrir la carpeta de &amp;registros</translation>
    </message>
    <message>
        <source>&amp;About Station Desktop</source>
        <translation>&amp;Acerca de Station Desktop</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>El del sistema</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <source>Not connected: {problem}</source>
        <translation>Sin conexión: {problem}</translation>
    </message>
    <message>
        <source>Could not open the database</source>
        <translation>No se pudo abrir la base de datos</translation>
    </message>
    <message>
        <source>About Station Desktop</source>
        <translation>Acerca de Station Desktop</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Station Desktop {version}&lt;/h3&gt;&lt;p&gt;Run internet-radio stations: library, playlists, schedule, live DJs and statistics, on Icecast and Liquidsoap.&lt;/p&gt;&lt;p&gt;Licence: {licence}. You may share and change it under the terms of the GNU General Public License, version 3 or later.&lt;/p&gt;&lt;p&gt;&lt;small&gt;Qt {qt} · PySide6 {pyside} · Python {python}&lt;/small&gt;&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Station Desktop {version}&lt;/h3&gt;&lt;p&gt;Gestione emisoras de radio por internet: biblioteca, listas de reproducción, programación, DJ en directo y estadísticas, con Icecast y Liquidsoap.&lt;/p&gt;&lt;p&gt;Licencia: {licence}. Puede compartirlo y modificarlo según los términos de la Licencia Pública General de GNU, versión 3 o posterior.&lt;/p&gt;&lt;p&gt;&lt;small&gt;Qt {qt} · PySide6 {pyside} · Python {python}&lt;/small&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>The new language applies the next time you start Station Desktop.</source>
        <translation>El nuevo idioma se aplicará la próxima vez que abra Station Desktop.</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrador</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>operador</translation>
    </message>
    <message>
        <source>Embedded database on this computer</source>
        <translation>Base de datos integrada en este equipo</translation>
    </message>
    <message>
        <source>{profile} ({url})</source>
        <translation>{profile} ({url})</translation>
    </message>
    <message>
        <source>Connected: {where} · {role}</source>
        <translation>Conectado: {where} · {role}</translation>
    </message>
    <message>
        <source>The operation failed</source>
        <translation>La operación falló</translation>
    </message>
    <message>
        <source>Could not open the log folder</source>
        <translation>No se pudo abrir la carpeta de registros</translation>
    </message>
    <message>
        <source>The log files are in {folder}</source>
        <translation>Los archivos de registro están en {folder}</translation>
    </message>
</context>
<context>
    <name>MetadataEditor</name>
    <message numerus="yes">
        <source>Edit %n tracks</source>
        <translation>
            <numerusform>Editar %n pista</numerusform>
            <numerusform>Editar %n pistas</numerusform>
        </translation>
    </message>
    <message>
        <source>Edit track</source>
        <translation>Editar la pista</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Título:</translation>
    </message>
    <message>
        <source>&amp;Artist:</source>
        <translation>&amp;Artista:</translation>
    </message>
    <message>
        <source>Al&amp;bum:</source>
        <translation>Ál&amp;bum:</translation>
    </message>
    <message>
        <source>&amp;Genre:</source>
        <translation>&amp;Género:</translation>
    </message>
    <message>
        <source>&amp;Year:</source>
        <translation>A&amp;ño:</translation>
    </message>
    <message>
        <source>Fields you leave as they are keep each track&apos;s own value; what you type replaces it on every selected track.</source>
        <translation>Los campos que deje como están conservan el valor de cada pista; lo que escriba lo sustituye en todas las pistas seleccionadas.</translation>
    </message>
    <message>
        <source>{file} · {format} · {duration} · {bitrate}</source>
        <translation>{file} · {format} · {duration} · {bitrate}</translation>
    </message>
    <message numerus="yes">
        <source>%n tracks selected.</source>
        <translation>
            <numerusform>%n pista seleccionada.</numerusform>
            <numerusform>%n pistas seleccionadas.</numerusform>
        </translation>
    </message>
    <message>
        <source>(multiple values)</source>
        <translation>(varios valores)</translation>
    </message>
    <message>
        <source>{reason}
The tracks were reloaded with the other change; your edits are still here. Save again to apply them.</source>
        <translation>{reason}
Se han recargado las pistas con el otro cambio; sus modificaciones siguen aquí. Guarde de nuevo para aplicarlas.</translation>
    </message>
</context>
<context>
    <name>OnAirPanel</name>
    <message>
        <source>Stream</source>
        <translation>Emisión</translation>
    </message>
    <message>
        <source>Listeners now</source>
        <translation>Oyentes ahora</translation>
    </message>
    <message>
        <source>Now playing</source>
        <translation>Suena ahora</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Fuente</translation>
    </message>
    <message>
        <source>Liquidsoap uptime</source>
        <translation>Tiempo en marcha de Liquidsoap</translation>
    </message>
    <message>
        <source>Desired state</source>
        <translation>Estado deseado</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Iniciar</translation>
    </message>
    <message>
        <source>Mark the station to be on air; stationd starts its Liquidsoap within a few seconds.</source>
        <translation>Marcar la emisora para que esté en antena; stationd inicia su Liquidsoap en unos segundos.</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <source>Mark the station to be off air; stationd stops its Liquidsoap (listeners hear the fallback).</source>
        <translation>Marcar la emisora para que esté fuera de antena; stationd detiene su Liquidsoap (los oyentes oyen el audio de reserva).</translation>
    </message>
    <message>
        <source>Skip track</source>
        <translation>Saltar la pista</translation>
    </message>
    <message>
        <source>End the current track now (all bitrates).</source>
        <translation>Terminar ya la pista actual (en todas las tasas de bits).</translation>
    </message>
    <message>
        <source>asking Icecast and Liquidsoap…</source>
        <translation>consultando Icecast y Liquidsoap…</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>unknown (Icecast does not answer)</source>
        <translation>desconocido (Icecast no responde)</translation>
    </message>
    <message>
        <source>online ({count} of {total} mounts)</source>
        <translation>en línea ({count} de {total} montajes)</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>sin conexión</translation>
    </message>
    <message>
        <source>unknown (Liquidsoap does not answer)</source>
        <translation>desconocido (Liquidsoap no responde)</translation>
    </message>
    <message>
        <source>Live DJ</source>
        <translation>DJ en directo</translation>
    </message>
    <message>
        <source>AutoDJ</source>
        <translation>AutoDJ</translation>
    </message>
    <message>
        <source>not running or unreachable</source>
        <translation>no está en marcha o no se puede contactar</translation>
    </message>
    <message>
        <source>on air (active)</source>
        <translation>en antena (activa)</translation>
    </message>
    <message>
        <source>off air ({status})</source>
        <translation>fuera de antena ({status})</translation>
    </message>
    <message>
        <source>Liquidsoap: {problem}</source>
        <translation>Liquidsoap: {problem}</translation>
    </message>
    <message>
        <source>Icecast: {problem}</source>
        <translation>Icecast: {problem}</translation>
    </message>
    <message>
        <source>Checked at {time}.</source>
        <translation>Comprobado a las {time}.</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <source>The operation failed</source>
        <translation>La operación falló</translation>
    </message>
</context>
<context>
    <name>Pages</name>
    <message>
        <source>Dashboard</source>
        <translation>Panel</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>Biblioteca</translation>
    </message>
    <message>
        <source>Playlists</source>
        <translation>Listas de reproducción</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Programación</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>En directo</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>Estadísticas</translation>
    </message>
    <message>
        <source>Stream settings</source>
        <translation>Ajustes de emisión</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>Servidores</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>Emisoras</translation>
    </message>
</context>
<context>
    <name>PlaylistCommands</name>
    <message>
        <source>Playlist “{name}” was changed by someone else since your edit, so it cannot be undone or redone safely. Nothing was changed.</source>
        <translation>Otra persona cambió la lista «{name}» después de su edición, así que no se puede deshacer ni rehacer con seguridad. No se cambió nada.</translation>
    </message>
    <message>
        <source>The playlist no longer exists; nothing was changed.</source>
        <translation>La lista ya no existe; no se cambió nada.</translation>
    </message>
    <message>
        <source>Add {tracks}</source>
        <translation>Añadir {tracks}</translation>
    </message>
    <message>
        <source>Remove {tracks}</source>
        <translation>Quitar {tracks}</translation>
    </message>
    <message>
        <source>Create playlist “{name}”</source>
        <translation>Crear la lista «{name}»</translation>
    </message>
    <message>
        <source>Playlist “{name}” has tracks or schedule blocks that were not added here, so undoing its creation would delete them. Delete it yourself if you mean to.</source>
        <translation>La lista «{name}» tiene pistas o bloques de programación que no se añadieron aquí, así que deshacer su creación los borraría. Bórrela usted si es lo que quiere.</translation>
    </message>
    <message>
        <source>Edit playlist “{name}”</source>
        <translation>Editar la lista «{name}»</translation>
    </message>
    <message>
        <source>Playlist “{name}” was edited by someone else since; nothing was changed.</source>
        <translation>Otra persona ha editado la lista «{name}» desde entonces; no se cambió nada.</translation>
    </message>
    <message>
        <source>Make “{name}” the main playlist</source>
        <translation>Hacer de «{name}» la lista principal</translation>
    </message>
</context>
<context>
    <name>PlaylistDialog</name>
    <message>
        <source>New playlist</source>
        <translation>Nueva lista</translation>
    </message>
    <message>
        <source>Edit playlist</source>
        <translation>Editar la lista</translation>
    </message>
    <message>
        <source>For example: Morning rotation</source>
        <translation>Por ejemplo: Rotación de mañana</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nombre:</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>Tipo:</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>Descripción:</translation>
    </message>
    <message>
        <source>This is the station&apos;s main playlist, which must be a rotation playlist: with another type it stops being the main one.</source>
        <translation>Es la lista principal de la emisora, que debe ser de rotación: con otro tipo deja de ser la principal.</translation>
    </message>
</context>
<context>
    <name>PlaylistItemsModel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Título</translation>
    </message>
    <message>
        <source>Artist</source>
        <translation>Artista</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>This track is no longer in the library; it is skipped on air.</source>
        <translation>Esta pista ya no está en la biblioteca; se salta en antena.</translation>
    </message>
    <message>
        <source>Not ready yet (status: {status}): skipped on air until it is.</source>
        <translation>Aún no está lista (estado: {status}): se salta en antena hasta que lo esté.</translation>
    </message>
</context>
<context>
    <name>Playlists</name>
    <message>
        <source>%n track</source>
        <translation>%n pista</translation>
    </message>
    <message>
        <source>%n tracks</source>
        <translation>%n pistas</translation>
    </message>
</context>
<context>
    <name>PlaylistsPage</name>
    <message>
        <source>Playlist</source>
        <translation>Lista</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Tracks</source>
        <translation>Pistas</translation>
    </message>
    <message>
        <source>&amp;New…</source>
        <translation>&amp;Nueva…</translation>
    </message>
    <message>
        <source>Create a playlist</source>
        <translation>Crear una lista</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Editar…</translation>
    </message>
    <message>
        <source>Rename the playlist, change its type or description</source>
        <translation>Cambiar el nombre, el tipo o la descripción de la lista</translation>
    </message>
    <message>
        <source>Make &amp;main</source>
        <translation>Hacer &amp;principal</translation>
    </message>
    <message>
        <source>Make this the station&apos;s main playlist (what AutoDJ plays when no schedule block does)</source>
        <translation>Hacer de esta la lista principal de la emisora (la que suena con AutoDJ cuando no hay ningún bloque programado)</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Borrar…</translation>
    </message>
    <message>
        <source>Delete the playlist</source>
        <translation>Borrar la lista</translation>
    </message>
    <message>
        <source>Playlists</source>
        <translation>Listas de reproducción</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>&amp;Add tracks…</source>
        <translation>&amp;Añadir pistas…</translation>
    </message>
    <message>
        <source>Search the library and add tracks (or drag them here from the Library)</source>
        <translation>Buscar en la biblioteca y añadir pistas (o arrastrarlas aquí desde la Biblioteca)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>Remove the selected tracks from the playlist (Delete)</source>
        <translation>Quitar de la lista las pistas seleccionadas (Supr)</translation>
    </message>
    <message>
        <source>&amp;Shuffle</source>
        <translation>&amp;Mezclar</translation>
    </message>
    <message>
        <source>Put the tracks in random order</source>
        <translation>Poner las pistas en orden aleatorio</translation>
    </message>
    <message>
        <source>Sort</source>
        <translation>Ordenar</translation>
    </message>
    <message>
        <source>By title (A to Z)</source>
        <translation>Por título (de la A a la Z)</translation>
    </message>
    <message>
        <source>By title (Z to A)</source>
        <translation>Por título (de la Z a la A)</translation>
    </message>
    <message>
        <source>By artist</source>
        <translation>Por artista</translation>
    </message>
    <message>
        <source>By duration, shortest first</source>
        <translation>Por duración, primero las más cortas</translation>
    </message>
    <message>
        <source>By duration, longest first</source>
        <translation>Por duración, primero las más largas</translation>
    </message>
    <message>
        <source>S&amp;ort</source>
        <translation>&amp;Ordenar</translation>
    </message>
    <message>
        <source>Could not undo or redo</source>
        <translation>No se pudo deshacer ni rehacer</translation>
    </message>
    <message>
        <source>The undo history was cleared.</source>
        <translation>Se ha vaciado el historial para deshacer.</translation>
    </message>
    <message>
        <source>Could not load the playlists</source>
        <translation>No se pudieron cargar las listas</translation>
    </message>
    <message>
        <source>Could not open the playlist</source>
        <translation>No se pudo abrir la lista</translation>
    </message>
    <message>
        <source>No playlist selected</source>
        <translation>No hay ninguna lista seleccionada</translation>
    </message>
    <message>
        <source>Create one with New…</source>
        <translation>Cree una con Nueva…</translation>
    </message>
    <message>
        <source>Select a playlist on the left.</source>
        <translation>Seleccione una lista a la izquierda.</translation>
    </message>
    <message>
        <source>main playlist</source>
        <translation>lista principal</translation>
    </message>
    <message>
        <source>total {duration}</source>
        <translation>total {duration}</translation>
    </message>
    <message>
        <source>This playlist is empty. Drag tracks here from the Library, or use Add tracks….</source>
        <translation>Esta lista está vacía. Arrastre pistas aquí desde la Biblioteca o use Añadir pistas….</translation>
    </message>
    <message>
        <source>The change was not saved</source>
        <translation>El cambio no se guardó</translation>
    </message>
    <message>
        <source>Move {tracks}</source>
        <translation>Mover {tracks}</translation>
    </message>
    <message>
        <source>Shuffle</source>
        <translation>Mezclar</translation>
    </message>
    <message>
        <source>Sort: {how}</source>
        <translation>Ordenar: {how}</translation>
    </message>
    <message>
        <source>This station already has a playlist named “{name}”; choose another name.</source>
        <translation>Esta emisora ya tiene una lista llamada «{name}»; elija otro nombre.</translation>
    </message>
    <message>
        <source>Could not read the schedule</source>
        <translation>No se pudo leer la programación</translation>
    </message>
    <message>
        <source>Delete the playlist “{name}” and its {tracks}?</source>
        <translation>¿Borrar la lista «{name}» y sus {tracks}?</translation>
    </message>
    <message>
        <source>It is also taken off the schedule (1 block).</source>
        <translation>También se quita de la programación (1 bloque).</translation>
    </message>
    <message>
        <source>It is also taken off the schedule ({count} blocks).</source>
        <translation>También se quita de la programación ({count} bloques).</translation>
    </message>
    <message>
        <source>It is the station&apos;s main playlist: AutoDJ will have no main playlist until you choose another.</source>
        <translation>Es la lista principal de la emisora: AutoDJ no tendrá lista principal hasta que elija otra.</translation>
    </message>
    <message>
        <source>This cannot be undone.</source>
        <translation>Esto no se puede deshacer.</translation>
    </message>
    <message>
        <source>Delete playlist</source>
        <translation>Borrar la lista</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Borrar</translation>
    </message>
</context>
<context>
    <name>ScheduleCommands</name>
    <message>
        <source>The schedule block was deleted by someone else since; nothing was changed.</source>
        <translation>Otra persona ha borrado el bloque de programación desde entonces; no se cambió nada.</translation>
    </message>
    <message>
        <source>The schedule block was changed by someone else since ({now}); nothing was changed.</source>
        <translation>Otra persona ha cambiado el bloque de programación desde entonces ({now}); no se cambió nada.</translation>
    </message>
    <message>
        <source>Create block</source>
        <translation>Crear bloque</translation>
    </message>
    <message>
        <source>Delete block</source>
        <translation>Borrar bloque</translation>
    </message>
</context>
<context>
    <name>SchedulePage</name>
    <message>
        <source>The playlist a block drawn on the grid plays; “Ask each time” opens a dialog instead.</source>
        <translation>La lista que pone un bloque dibujado en la parrilla; «Preguntar cada vez» abre un diálogo en su lugar.</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Editar…</translation>
    </message>
    <message>
        <source>Edit the selected block (or double-click it)</source>
        <translation>Editar el bloque seleccionado (o hacer doble clic en él)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Borrar</translation>
    </message>
    <message>
        <source>Delete the selected block (Delete)</source>
        <translation>Borrar el bloque seleccionado (Supr)</translation>
    </message>
    <message>
        <source>New blocks play:</source>
        <translation>Los bloques nuevos ponen:</translation>
    </message>
    <message>
        <source>Weekly schedule</source>
        <translation>Programación semanal</translation>
    </message>
    <message>
        <source>The undo history was cleared.</source>
        <translation>Se ha vaciado el historial para deshacer.</translation>
    </message>
    <message>
        <source>The station&apos;s time zone {zone} is not known here; the grid shows UTC. Set a time zone such as Europe/Madrid in the station&apos;s settings.</source>
        <translation>La zona horaria de la emisora, {zone}, no se conoce en este equipo; la parrilla muestra UTC. Ponga una zona horaria como Europe/Madrid en los ajustes de la emisora.</translation>
    </message>
    <message>
        <source>Times in {zone}</source>
        <translation>Horas en {zone}</translation>
    </message>
    <message>
        <source>Ask each time</source>
        <translation>Preguntar cada vez</translation>
    </message>
    <message>
        <source>(until {day})</source>
        <translation>(hasta el {day})</translation>
    </message>
    <message>
        <source>Switched off: does not play.</source>
        <translation>Desactivado: no suena.</translation>
    </message>
    <message>
        <source>{count} stored block(s) cannot be shown on the grid: {problem}</source>
        <translation>No se pueden mostrar en la parrilla {count} bloques guardados: {problem}</translation>
    </message>
    <message>
        <source>Daylight saving time: on {date} the clocks in {zone} jump from {start} to {end}.</source>
        <translation>Horario de verano: el {date} los relojes de {zone} saltan de las {start} a las {end}.</translation>
    </message>
    <message>
        <source>This block lies inside the skipped time and does not play that night.</source>
        <translation>Este bloque cae dentro de la hora que se salta y esa noche no suena.</translation>
    </message>
    <message>
        <source>This block is {minutes} minutes shorter that night.</source>
        <translation>Esa noche este bloque dura {minutes} minutos menos.</translation>
    </message>
    <message>
        <source>Not saved: {when} would overlap “{name}” on {other}. Move or shorten one of them, or switch the other block off first.</source>
        <translation>No se ha guardado: {when} se solaparía con «{name}» el {other}. Mueva o acorte uno de los dos, o desactive antes el otro bloque.</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>No se ha guardado: {reason}</translation>
    </message>
    <message>
        <source>Edit block</source>
        <translation>Editar el bloque</translation>
    </message>
    <message>
        <source>Create a playlist first: a block plays a playlist.</source>
        <translation>Cree antes una lista: un bloque pone una lista de reproducción.</translation>
    </message>
    <message>
        <source>Move block</source>
        <translation>Mover el bloque</translation>
    </message>
    <message>
        <source>Resize block</source>
        <translation>Cambiar la duración del bloque</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <source>New server</source>
        <translation>Nuevo servidor</translation>
    </message>
    <message>
        <source>Edit server</source>
        <translation>Editar el servidor</translation>
    </message>
    <message>
        <source>(direct telnet, no SSH)</source>
        <translation>(telnet directo, sin SSH)</translation>
    </message>
    <message>
        <source>22 (default)</source>
        <translation>22 (predeterminado)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Nombre de host</translation>
    </message>
    <message>
        <source>Icecast port</source>
        <translation>Puerto de Icecast</translation>
    </message>
    <message>
        <source>Capacity (stations)</source>
        <translation>Capacidad (emisoras)</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Región</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>SSH user</source>
        <translation>Usuario SSH</translation>
    </message>
    <message>
        <source>SSH port</source>
        <translation>Puerto SSH</translation>
    </message>
    <message>
        <source>Icecast admin user</source>
        <translation>Usuario administrador de Icecast</translation>
    </message>
</context>
<context>
    <name>ServersPage</name>
    <message>
        <source>Servers</source>
        <translation>Servidores</translation>
    </message>
    <message>
        <source>The streaming servers (Icecast + Liquidsoap), how full they are, who listens now, and the problems stationd noticed.</source>
        <translation>Los servidores de emisión (Icecast + Liquidsoap), lo llenos que están, quién escucha ahora y los problemas que ha detectado stationd.</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Región</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>Emisoras</translation>
    </message>
    <message>
        <source>{load} of {capacity}</source>
        <translation>{load} de {capacity}</translation>
    </message>
    <message>
        <source>Listeners now</source>
        <translation>Oyentes ahora</translation>
    </message>
    <message>
        <source>Add server…</source>
        <translation>Añadir servidor…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Editar…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Copy server id</source>
        <translation>Copiar id del servidor</translation>
    </message>
    <message>
        <source>Copies the server&apos;s id, which stationd&apos;s configuration on that server needs ([server] id in /etc/stationd/stationd.toml).</source>
        <translation>Copia el id del servidor, que necesita la configuración de stationd en ese servidor ([server] id en /etc/stationd/stationd.toml).</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alertas</translation>
    </message>
    <message>
        <source>The servers could not be read</source>
        <translation>No se pudieron leer los servidores</translation>
    </message>
    <message>
        <source>Server offline</source>
        <translation>Servidor sin conexión</translation>
    </message>
    <message>
        <source>{server} ({host}) went offline: its stations are off the air until it answers again.</source>
        <translation>{server} ({host}) se ha desconectado: sus emisoras están fuera de antena hasta que vuelva a responder.</translation>
    </message>
    <message>
        <source>Delete server</source>
        <translation>Borrar el servidor</translation>
    </message>
    <message>
        <source>Delete the server {server}? Its stations must be moved elsewhere first.</source>
        <translation>¿Borrar el servidor {server}? Antes hay que trasladar sus emisoras a otro.</translation>
    </message>
    <message>
        <source>The server was not deleted</source>
        <translation>El servidor no se borró</translation>
    </message>
</context>
<context>
    <name>StationPage</name>
    <message>
        <source>Not connected to a database.</source>
        <translation>Sin conexión a ninguna base de datos.</translation>
    </message>
    <message>
        <source>No station to show. Choose one in the station switcher at the top of the window; if it is empty, this database has no stations yet.</source>
        <translation>No hay ninguna emisora que mostrar. Elija una en el selector de emisoras, arriba en la ventana; si está vacío, esta base de datos aún no tiene emisoras.</translation>
    </message>
</context>
<context>
    <name>StationsPage</name>
    <message>
        <source>Stations</source>
        <translation>Emisoras</translation>
    </message>
    <message>
        <source>Every station in this database and the server it streams from.</source>
        <translation>Todas las emisoras de esta base de datos y el servidor desde el que emite cada una.</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Emisora</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>(unassigned)</source>
        <translation>(sin asignar)</translation>
    </message>
    <message>
        <source>Mountpoint</source>
        <translation>Punto de montaje</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zona horaria</translation>
    </message>
    <message>
        <source>Quota</source>
        <translation>Cuota</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Assign to server…</source>
        <translation>Asignar a un servidor…</translation>
    </message>
    <message>
        <source>This database has no stations yet.</source>
        <translation>Esta base de datos aún no tiene emisoras.</translation>
    </message>
    <message>
        <source>No servers</source>
        <translation>No hay servidores</translation>
    </message>
    <message>
        <source>Add a streaming server on the Servers page first.</source>
        <translation>Añada antes un servidor de emisión en la página Servidores.</translation>
    </message>
    <message>
        <source>The station was not assigned</source>
        <translation>La emisora no se asignó</translation>
    </message>
    <message>
        <source>{station} now streams from the chosen server at {mount}; its stationd starts it within seconds.</source>
        <translation>{station} emite ahora desde el servidor elegido en {mount}; su stationd la pone en marcha en unos segundos.</translation>
    </message>
</context>
<context>
    <name>StatisticsPage</name>
    <message>
        <source>Statistics</source>
        <translation>Estadísticas</translation>
    </message>
    <message>
        <source>Real time</source>
        <translation>Tiempo real</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 horas</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 días</translation>
    </message>
    <message>
        <source>30 days</source>
        <translation>30 días</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Año</translation>
    </message>
    <message>
        <source>Per bitrate</source>
        <translation>Por tasa de bits</translation>
    </message>
    <message>
        <source>Stack the average listeners of each bitrate (mount) instead of the total.</source>
        <translation>Apilar la media de oyentes de cada tasa de bits (montaje) en lugar del total.</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>Exportar PNG…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exportar CSV…</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Título</translation>
    </message>
    <message>
        <source>Artist</source>
        <translation>Artista</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Plays</source>
        <translation>Reproducciones</translation>
    </message>
    <message>
        <source>Play history</source>
        <translation>Historial de reproducción</translation>
    </message>
    <message>
        <source>Top songs in the range</source>
        <translation>Canciones más emitidas en el periodo</translation>
    </message>
    <message>
        <source>No samples in this range: stationd records them while the station is on air.</source>
        <translation>No hay muestras en este periodo: stationd las registra mientras la emisora está en antena.</translation>
    </message>
    <message>
        <source>Peak {peak} · average {average} listeners</source>
        <translation>Pico de {peak} · media de {average} oyentes</translation>
    </message>
    <message>
        <source>Export the chart as PNG</source>
        <translation>Exportar el gráfico como PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>Imágenes PNG (*.png)</translation>
    </message>
    <message>
        <source>Export the chart&apos;s data as CSV</source>
        <translation>Exportar los datos del gráfico como CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>The chart was not exported</source>
        <translation>El gráfico no se exportó</translation>
    </message>
    <message>
        <source>The image could not be written to {path}.</source>
        <translation>No se pudo escribir la imagen en {path}.</translation>
    </message>
    <message>
        <source>The data was not exported</source>
        <translation>Los datos no se exportaron</translation>
    </message>
    <message>
        <source>Listeners</source>
        <translation>Oyentes</translation>
    </message>
    <message>
        <source>Peak</source>
        <translation>Pico</translation>
    </message>
</context>
<context>
    <name>StreamForm</name>
    <message>
        <source>Mountpoint</source>
        <translation>Punto de montaje</translation>
    </message>
    <message>
        <source>The stream&apos;s address on Icecast: listeners open http://server:port/mountpoint.</source>
        <translation>La dirección de la emisión en Icecast: los oyentes abren http://servidor:puerto/punto-de-montaje.</translation>
    </message>
    <message>
        <source>Bitrates</source>
        <translation>Tasas de bits</translation>
    </message>
    <message>
        <source>One MP3 stream per bitrate: low ones for mobile data, high ones for quality.</source>
        <translation>Una emisión MP3 por cada tasa de bits: las bajas para datos móviles, las altas para calidad.</translation>
    </message>
    <message>
        <source>Maximum listeners</source>
        <translation>Máximo de oyentes</translation>
    </message>
    <message>
        <source>Icecast refuses listeners beyond this many on each mount.</source>
        <translation>Icecast rechaza a los oyentes que superen esta cifra en cada montaje.</translation>
    </message>
    <message>
        <source>Play music from the playlists when no one is live</source>
        <translation>Poner música de las listas cuando no hay nadie en directo</translation>
    </message>
    <message>
        <source>AutoDJ</source>
        <translation>AutoDJ</translation>
    </message>
    <message>
        <source>Off: the station is silent (or plays the safety file) unless a DJ is live.</source>
        <translation>Desactivado: la emisora queda en silencio (o pone el archivo de seguridad) salvo que haya un DJ en directo.</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Crossfade</source>
        <translation>Fundido</translation>
    </message>
    <message>
        <source>How long one song fades into the next (0 = no crossfade).</source>
        <translation>Cuánto dura el fundido de una canción con la siguiente (0 = sin fundido).</translation>
    </message>
    <message>
        <source>Even out loudness between songs</source>
        <translation>Igualar la sonoridad entre canciones</translation>
    </message>
    <message>
        <source>Normalisation</source>
        <translation>Normalización</translation>
    </message>
    <message>
        <source>Makes quiet and loud recordings sound equally loud.</source>
        <translation>Hace que las grabaciones flojas y las fuertes suenen con el mismo volumen.</translation>
    </message>
    <message>
        <source> LUFS</source>
        <translation> LUFS</translation>
    </message>
    <message>
        <source>Target loudness</source>
        <translation>Sonoridad objetivo</translation>
    </message>
    <message>
        <source>-14 LUFS is the usual streaming target; closer to 0 is louder.</source>
        <translation>-14 LUFS es el objetivo habitual en las emisiones por internet; cuanto más cerca de 0, más alto.</translation>
    </message>
    <message>
        <source>Playback order</source>
        <translation>Orden de reproducción</translation>
    </message>
    <message>
        <source>Random shuffles each playlist; sequential plays it in its saved order.</source>
        <translation>Aleatorio mezcla cada lista; secuencial la reproduce en el orden guardado.</translation>
    </message>
    <message>
        <source>Accept a live DJ on the live input</source>
        <translation>Aceptar un DJ en directo en la entrada en directo</translation>
    </message>
    <message>
        <source>Live input</source>
        <translation>Entrada en directo</translation>
    </message>
    <message>
        <source>A DJ connects with BUTT or Mixxx and takes over the AutoDJ while connected.</source>
        <translation>Un DJ se conecta con BUTT o Mixxx y sustituye al AutoDJ mientras está conectado.</translation>
    </message>
    <message>
        <source>Play jingles between songs</source>
        <translation>Poner cuñas entre canciones</translation>
    </message>
    <message>
        <source>Jingles</source>
        <translation>Cuñas</translation>
    </message>
    <message>
        <source>Station idents from the library&apos;s jingles, played by the AutoDJ.</source>
        <translation>Identificativos de la emisora tomados de las cuñas de la biblioteca, que pone el AutoDJ.</translation>
    </message>
    <message>
        <source> songs</source>
        <translation> canciones</translation>
    </message>
    <message>
        <source>One jingle every</source>
        <translation>Una cuña cada</translation>
    </message>
    <message>
        <source>How many songs play between two jingles.</source>
        <translation>Cuántas canciones suenan entre dos cuñas.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Inactive stops the station&apos;s stream; active keeps it on the air.</source>
        <translation>Inactivo detiene la emisión de la emisora; activo la mantiene en antena.</translation>
    </message>
    <message>
        <source>{kbps} kbps</source>
        <translation>{kbps} kbps</translation>
    </message>
</context>
<context>
    <name>StreamSettingsPage</name>
    <message>
        <source>Stream settings</source>
        <translation>Ajustes de emisión</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>How the station sounds and who can listen. Apply saves; stationd takes the change to the air within seconds.</source>
        <translation>Cómo suena la emisora y quién puede escucharla. Aplicar guarda los cambios; stationd los lleva a antena en unos segundos.</translation>
    </message>
    <message>
        <source>Saved mountpoint</source>
        <translation>Punto de montaje guardado</translation>
    </message>
    <message>
        <source>Live input port</source>
        <translation>Puerto de entrada en directo</translation>
    </message>
    <message>
        <source>Control port</source>
        <translation>Puerto de control</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Deshacer cambios</translation>
    </message>
    <message>
        <source>Show the saved values again</source>
        <translation>Volver a mostrar los valores guardados</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Aplicar</translation>
    </message>
    <message>
        <source>{station} is not assigned to a streaming server yet, so it has no stream settings. An admin assigns it on the Stations page.</source>
        <translation>{station} aún no tiene servidor de emisión asignado, así que no tiene ajustes de emisión. Un administrador se lo asigna en la página Emisoras.</translation>
    </message>
    <message>
        <source>The saved values are shown again.</source>
        <translation>Se muestran de nuevo los valores guardados.</translation>
    </message>
    <message>
        <source>Someone else changed these settings since you opened them, so nothing was saved. Note your changes, press Revert to load the current values, and apply them again.</source>
        <translation>Otra persona ha cambiado estos ajustes desde que usted los abrió, así que no se guardó nada. Anote sus cambios, pulse Deshacer cambios para cargar los valores actuales y vuelva a aplicarlos.</translation>
    </message>
    <message>
        <source>Saved. Nothing changed.</source>
        <translation>Guardado. No ha cambiado nada.</translation>
    </message>
    <message>
        <source>its next pass stops the station&apos;s Liquidsoap (the stream goes off the air).</source>
        <translation>en su próxima pasada detiene el Liquidsoap de la emisora (la emisión sale de antena).</translation>
    </message>
    <message>
        <source>its next pass starts the station&apos;s Liquidsoap.</source>
        <translation>en su próxima pasada inicia el Liquidsoap de la emisora.</translation>
    </message>
    <message>
        <source>it renders the station&apos;s Liquidsoap script again and restarts Liquidsoap only because the script changed; listeners stay connected through Icecast&apos;s fallback file meanwhile.</source>
        <translation>vuelve a generar el script de Liquidsoap de la emisora y reinicia Liquidsoap solo porque el script ha cambiado; mientras tanto, los oyentes siguen conectados gracias al archivo de reserva de Icecast.</translation>
    </message>
    <message>
        <source>Playback order and jingles are playlist-level settings: the AutoDJ uses them from the next track, with no restart.</source>
        <translation>El orden de reproducción y las cuñas son ajustes de las listas: el AutoDJ los aplica a partir de la pista siguiente, sin reiniciar.</translation>
    </message>
    <message>
        <source>The listener limit lives in the server&apos;s icecast.xml: it takes effect when an admin renders it again (stationd render) and reloads Icecast.</source>
        <translation>El límite de oyentes está en el icecast.xml del servidor: surte efecto cuando un administrador lo vuelve a generar (stationd render) y recarga Icecast.</translation>
    </message>
    <message>
        <source>Saved. stationd applies it within {seconds} s: {details}</source>
        <translation>Guardado. stationd lo aplica en {seconds} s: {details}</translation>
    </message>
    <message>
        <source>Unsaved stream settings</source>
        <translation>Ajustes de emisión sin guardar</translation>
    </message>
    <message>
        <source>You changed the stream settings of {station} without applying them. Apply them now?</source>
        <translation>Ha cambiado los ajustes de emisión de {station} sin aplicarlos. ¿Quiere aplicarlos ahora?</translation>
    </message>
    <message>
        <source>The stream settings of {station} were not saved</source>
        <translation>Los ajustes de emisión de {station} no se guardaron</translation>
    </message>
    <message>
        <source>Saved the stream settings of {station}.</source>
        <translation>Se guardaron los ajustes de emisión de {station}.</translation>
    </message>
</context>
<context>
    <name>TrackPickerDialog</name>
    <message>
        <source>Add tracks</source>
        <translation>Añadir pistas</translation>
    </message>
    <message>
        <source>Search title, artist, album, genre or file name</source>
        <translation>Buscar por título, artista, álbum, género o nombre de archivo</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Título</translation>
    </message>
    <message>
        <source>Artist</source>
        <translation>Artista</translation>
    </message>
    <message>
        <source>Album</source>
        <translation>Álbum</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duración</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Añadir</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Buscando…</translation>
    </message>
    <message>
        <source>Showing {shown} of {total} tracks; refine the search to see the others.</source>
        <translation>Se muestran {shown} de {total} pistas; afine la búsqueda para ver las demás.</translation>
    </message>
</context>
<context>
    <name>UndoActions</name>
    <message>
        <source>&amp;Undo {what}</source>
        <translation>&amp;Deshacer {what}</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Deshacer</translation>
    </message>
    <message>
        <source>&amp;Redo {what}</source>
        <translation>&amp;Rehacer {what}</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rehacer</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Deshacer</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Rehacer</translation>
    </message>
</context>
<context>
    <name>UndoablePage</name>
    <message>
        <source>No database is open.</source>
        <translation>No hay ninguna base de datos abierta.</translation>
    </message>
    <message>
        <source>No station is selected.</source>
        <translation>No hay ninguna emisora seleccionada.</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Something went wrong. The details are in the log file:
{path}</source>
        <translation>Algo ha fallado. Los detalles están en el archivo de registro:
{path}</translation>
    </message>
</context>
</TS>
