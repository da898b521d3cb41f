<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>LibraryPage</name>
    <message numerus="yes">
        <source>Delete %n tracks?</source>
        <translation>
            <numerusform>Delete %n track?</numerusform>
            <numerusform>Delete %n tracks?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tracks were deleted.</source>
        <translation>
            <numerusform>%n track was deleted.</numerusform>
            <numerusform>%n tracks were deleted.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MetadataEditor</name>
    <message numerus="yes">
        <source>Edit %n tracks</source>
        <translation>
            <numerusform>Edit %n track</numerusform>
            <numerusform>Edit %n tracks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tracks selected.</source>
        <translation>
            <numerusform>%n track selected.</numerusform>
            <numerusform>%n tracks selected.</numerusform>
        </translation>
    </message>
</context>
</TS>
