# The MOT config the app uses by default, under one stable name for users and scripts:
# ByteTrack on the default CenterNet detector, tracking people.
_base_ = ['./bytetrack/bytetrack_centernet_mobilenetv3_coco-person.py']
